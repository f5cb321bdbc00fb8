/** Placeholder content for the demo seed: the coach replaces it in /coach/program. */
export const DEMO_PROGRAM = {
  title: 'The Humble Pie 12 Steps',
  description:
    'A self-paced program in twelve steps for people who want to repair what hurt them, and what they hurt, without pretending to be perfect. ' +
    'Each step opens after the one before it is done and a week has passed, so there is time for the work to settle. ' +
    'Your reflections are private and encrypted; you choose, entry by entry, what your coach may read.',
  price: 19900,
  currency: 'usd',
  dripDays: 7,
};

interface DemoStep {
  title: string;
  summary: string;
  body: string;
  prompts: string[];
}

const step = (
  title: string,
  summary: string,
  paragraphs: string[],
  prompts: string[],
): DemoStep => ({
  title,
  summary,
  body: `${paragraphs.join('\n\n')}\n\n*Take your time. Nothing here is graded, and nothing has to be finished today.*`,
  prompts,
});

export const DEMO_STEPS: DemoStep[] = [
  step(
    'Arriving as you are',
    'Start where you are, not where you think you should be.',
    [
      'You do not need to be ready to begin. Most people who start this work feel tired, unsure, or a little ashamed of needing it. That is a fine place to start.',
      'This first step is only about noticing: how you are, today, in your body and in your days.',
    ],
    [
      'What brought you here, in a few honest sentences?',
      'What do you hope will be different in three months?',
    ],
  ),
  step(
    'Naming what happened',
    'Put words to what hurt, at the pace you choose.',
    [
      'Naming is not reliving. You can describe what happened in one line and stop there.',
      'If a memory feels too big, write around it: where you were, what season it was, what you needed.',
    ],
    [
      'What happened, in as few or as many words as feels safe?',
      'What did you need then that you did not get?',
    ],
  ),
  step(
    'The stories we carry',
    'Notice the stories you built to survive.',
    [
      'Every one of us made sense of pain with a story: "I am too much", "I have to handle it alone". Those stories protected us once.',
      'This step asks which of them still help, and which have grown too small for you.',
    ],
    [
      'Which sentence about yourself do you hear most often?',
      'Whose voice does it sound like?',
      'What would a kinder, truer version be?',
    ],
  ),
  step(
    'Humble pie',
    'Look honestly at the harm you have done, without drowning in it.',
    [
      'Repair goes both ways. Most of us have hurt people, often while we were hurting.',
      'Humility here is not self-punishment. It is seeing clearly, so that you can make things right where you can.',
    ],
    ['Whom have you hurt, and how?', 'What gets in the way of looking at that honestly?'],
  ),
  step(
    'Shame and guilt',
    'Learn the difference between "I did something bad" and "I am bad".',
    [
      'Guilt points to an action and invites repair. Shame points at the whole self and invites hiding.',
      'This week, practise catching shame and translating it back into something you can act on.',
    ],
    [
      'When did you last feel shame? What was the action underneath it?',
      'What would repair look like there?',
    ],
  ),
  step(
    'Your body keeps time',
    'Build a few small ways to come back to the present.',
    [
      'Trauma lives in the body as much as in memory. Breath, feet on the floor, a hand on your chest: small anchors add up.',
      'Try one grounding practice each day this week and note what changes, even slightly.',
    ],
    [
      'Which grounding practice did you try, and what did you notice?',
      'Where in your body do you feel safe, even a little?',
    ],
  ),
  step(
    'Boundaries',
    'Decide what is yours to carry and what is not.',
    [
      'A boundary is not a wall; it is a clear statement of what you will and will not do.',
      'Start with one small boundary, said kindly and held calmly.',
    ],
    ['Where do you say yes when you mean no?', 'What is one boundary you will practise this week?'],
  ),
  step(
    'Making amends',
    'Plan repairs that are honest and safe for everyone.',
    [
      'Amends are about the other person, not about being forgiven. Some amends are a conversation; some are a changed behaviour; some are best left unsaid.',
      'Write the amends you could make, and ask whether each one would help or harm.',
    ],
    [
      'Which amends feel right to make, and how?',
      'Which would cause more harm, and what can you do instead?',
    ],
  ),
  step(
    'Receiving repair',
    'Let others make things right with you, or grieve when they cannot.',
    [
      'Not everyone who hurt us will repair it. Some will try imperfectly. Both deserve our attention.',
      'This step is about what you need to hear, and how you can give it to yourself when no one else will.',
    ],
    ['What apology have you been waiting for?', 'What would you say to yourself in its place?'],
  ),
  step(
    'Everyday repair',
    'Make small repairs part of ordinary days.',
    [
      'Ruptures happen in every close relationship. What matters is coming back: "I was short with you earlier. I am sorry."',
      'Notice the small ruptures this week and practise repairing them quickly.',
    ],
    ['Which small rupture did you repair this week?', 'What made it easier or harder?'],
  ),
  step(
    'Support around you',
    'Build a circle that can hold you when things are hard.',
    [
      'Healing is not a solo sport. Think about who is safe, who is kind, and who is simply present.',
      'You might add one person, one group, or one practice to your circle this week.',
    ],
    ['Who are the people you can call on?', 'What kind of support would you like more of?'],
  ),
  step(
    'Carrying it forward',
    'Gather what you have learned and choose how to keep going.',
    [
      'You have done difficult work. Look back over your reflections and notice what has shifted.',
      'Repair is not finished; it becomes a way of living. Choose a few practices to keep.',
    ],
    [
      'What has changed since step one?',
      'Which practices will you keep?',
      'What would you tell someone starting step one today?',
    ],
  ),
];
