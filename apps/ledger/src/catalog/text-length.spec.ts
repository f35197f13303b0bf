import { textLength } from './text-length';

describe('textLength', () => {
  it.each([
    ['', 0],
    ['plain', 5],
    ['\u{1F600}', 1],
    ['a\uFE0F', 1],
    ['a\uFE0E', 1],
    ['\u2764\uFE0F\u2764\uFE0F', 2],
    ['\u{1F600}\uFE0F', 1],
    ['\uFE0F', 1], // a selector with nothing before it is a character of its own
    ['\uFE0F\uFE0F', 2],
    ['\uD800', 1], // a lone surrogate counts as one
    ['\uD83D\uDE00\uD83D', 2],
  ])('counts %j as %i', (text, length) => {
    expect(textLength(text)).toBe(length);
  });
});
