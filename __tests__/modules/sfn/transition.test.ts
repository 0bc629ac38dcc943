import { InvalidStateOptionsError } from '../../../modules/sfn';
import { transition } from '../../../modules/sfn/transition';

describe('transition', () => {
  it('gives Next for next, End otherwise', () => {
    expect(transition('S', { next: 'T' })).toEqual({ Next: 'T' });
    expect(transition('S', { next: 'T', end: false })).toEqual({ Next: 'T' });
    expect(transition('S', {})).toEqual({ End: true });
    expect(transition('S', { end: true })).toEqual({ End: true });
  });

  it.each([
    [{ next: 'T', end: true }, /not both/],
    [{ end: false }, /needs `next`/],
    [{ next: '' }, /must name a state/],
  ])('refuses %j', (options, message) => {
    expect(() => transition('S', options)).toThrow(InvalidStateOptionsError);
    expect(() => transition('S', options)).toThrow(message);
  });
});
