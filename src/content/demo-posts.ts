export interface DemoPost {
  title: string;
  slug: string;
  excerpt: string;
  tags: string[];
  body: string;
}

/** Two sample posts in the practice's voice: calm, honest, never pushy. */
export const DEMO_POSTS: DemoPost[] = [
  {
    title: 'Rest Is Not a Reward',
    slug: 'rest-is-not-a-reward',
    excerpt:
      'Many of us learned that rest has to be earned. In recovery, rest is part of the work — not the prize at the end of it.',
    tags: ['rest', 'nervous system'],
    body: `Many of us learned early that rest has to be earned. Finish the list, fix the problem, make sure everyone else is fine — *then* you may sit down. If that was the rule in your house, your body probably still keeps it.

## What rest does in recovery

A nervous system that has been on guard for years does not switch off because we tell it to. It needs evidence that it is safe to stop. Rest is how we give it that evidence, a little at a time.

- A few slow breaths before you answer a message.
- Ten minutes outside without your phone.
- Saying "let me think about it" instead of yes.

None of these are rewards. They are repairs.

## When rest feels unsafe

If slowing down makes you anxious, that is not a sign you are doing it wrong. It is a sign your body remembers a time when stopping was dangerous. Go gently. Start smaller than you think you need to.

> You don't have to earn the right to be tired.

If you'd like company on this, a [free discovery call](/book) is a quiet place to start.`,
  },
  {
    title: 'Repair Over Perfection',
    slug: 'repair-over-perfection',
    excerpt:
      'Healing is not about never getting it wrong again. It is about noticing, owning, and mending — with others and with yourself.',
    tags: ['repair', 'relationships'],
    body: `If you grew up around trauma, perfection can feel like safety. If nothing goes wrong, nobody gets hurt. So we try to be flawless — and then we fall apart when we aren't.

Here is the honest part: **you will get it wrong.** You will snap at someone you love. You will shut down when you meant to open up. That is not failure. That is being human.

## What repair looks like

Repair is the skill that matters more than getting it right the first time. It has three small steps:

1. **Notice.** "Something went wrong between us just now."
2. **Own your part.** Not all of it — your part. "I raised my voice, and that wasn't fair to you."
3. **Reconnect.** "I want to try that conversation again. Is now okay?"

Children who see their parents repair learn that love survives mistakes. Adults can learn it too, at any age.

## Repair with yourself

The hardest repair is often the one with ourselves. When you slip back into an old pattern, try speaking to yourself the way you would to a friend who is trying their best. Because you are.

This is the heart of everything I do: not a perfect recovery, but a steady practice of coming back.`,
  },
];
