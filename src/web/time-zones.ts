/**
 * The time-zone picker's choices: every IANA zone named for a place (Region/City), grouped by
 * region, labelled by city with its current offset ("London (GMT)", "New York (GMT-5)"). Fixed
 * offsets and legacy abbreviations (`EST`, `Etc/GMT+5`, `UTC`) are not offered and a page refuses
 * them: they have no daylight-saving changes, so a coach in New York who picks `EST` would be an
 * hour off every summer. The API still takes any IANA name (SPEC); this is the page's policy.
 */

/** ICU still reports some zones by their old names; the value saved is the current one. */
export const ZONE_RENAMES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
};

const REGIONS: Readonly<Record<string, string>> = {
  Africa: 'Africa',
  America: 'Americas',
  Antarctica: 'Antarctica',
  Arctic: 'Arctic',
  Asia: 'Asia',
  Atlantic: 'Atlantic',
  Australia: 'Australia',
  Europe: 'Europe',
  Indian: 'Indian Ocean',
  Pacific: 'Pacific',
};

export interface ZoneOption {
  value: string;
  label: string;
}

export interface ZoneGroup {
  region: string;
  zones: ZoneOption[];
}

function offsetLabel(zone: string, at: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value === 'GMT+0' ? 'GMT' : (part?.value ?? '');
  } catch {
    return '';
  }
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)". */
function placeName(zone: string): string {
  const parts = zone
    .split('/')
    .slice(1)
    .map((p) => p.replace(/_/g, ' '));
  const city = parts.pop() ?? zone;
  return parts.length ? `${city} (${parts.join(', ')})` : city;
}

let names: string[] | null = null;

/** Every place zone, by its current name, once per process. */
export function placeZones(): string[] {
  names ??= [
    ...new Set(
      Intl.supportedValuesOf('timeZone')
        .map((z) => ZONE_RENAMES[z] ?? z)
        .filter((z) => (z.split('/')[0] ?? '') in REGIONS),
    ),
  ].sort();
  return names;
}

/** Is this a zone the picker offers (a place, not a fixed offset or abbreviation)? */
export function isPlaceZone(zone: string): boolean {
  return placeZones().includes(ZONE_RENAMES[zone] ?? zone);
}

const HOUR = 3_600_000;
let built: { hour: number; groups: ZoneGroup[] } | null = null;

/**
 * The picker's groups, labelled with each zone's offset at `at` (now). Built once an hour: each
 * label takes an Intl formatter per zone (hundreds of milliseconds for them all), and offsets
 * change on the hour.
 */
export function zoneGroups(at: Date): ZoneGroup[] {
  const hour = Math.floor(at.getTime() / HOUR);
  if (built?.hour !== hour) built = { hour, groups: buildZoneGroups(new Date(hour * HOUR)) };
  return built.groups;
}

function buildZoneGroups(at: Date): ZoneGroup[] {
  const groups = new Map<string, ZoneOption[]>();
  for (const zone of placeZones()) {
    const region = REGIONS[zone.split('/')[0]];
    const offset = offsetLabel(zone, at);
    const list = groups.get(region) ?? [];
    list.push({ value: zone, label: offset ? `${placeName(zone)} (${offset})` : placeName(zone) });
    groups.set(region, list);
  }
  return [...groups.entries()].map(([region, zones]) => ({
    region,
    zones: zones.sort((a, b) => a.label.localeCompare(b.label, 'en')),
  }));
}

/** A short name for a saved zone: "London (GMT)". */
export function zoneLabel(zone: string, at: Date): string {
  const offset = offsetLabel(zone, at);
  return zone.includes('/') ? `${placeName(zone)}${offset ? ` (${offset})` : ''}` : zone;
}
