import { describe, expect, it } from 'vitest';
import { MersenneTwister, type MersenneTwisterState } from './mersenne-twister.js';

const take = (mt: MersenneTwister, n: number) => Array.from({ length: n }, () => mt.nextUint32());

describe('MersenneTwister against the reference mt19937ar.c', () => {
  it('init_genrand(5489): the first output is 3499211612, the 10,000th 4123659995', () => {
    const mt = new MersenneTwister().seed(5489);
    expect(mt.nextUint32()).toBe(3499211612);
    for (let i = 0; i < 9998; i++) mt.nextUint32();
    expect(mt.nextUint32()).toBe(4123659995); // the C++11 std::mt19937 conformance value
    expect(new MersenneTwister().nextUint32()).toBe(3499211612); // 5489 is the default
  });

  it('init_by_array([0x123, 0x234, 0x345, 0x456]): the first outputs of mt19937ar.out', () => {
    const expected = [1067595299, 955945823, 477289528, 4107218783, 4228976476];
    const key = [0x123, 0x234, 0x345, 0x456];
    expect(take(new MersenneTwister().seedByArray(key), 5)).toEqual(expected);
    expect(take(new MersenneTwister().seedByArray(new Uint32Array(key)), 5)).toEqual(expected);
  });

  it('init_by_array: outputs 1000 of mt19937ar.out, after the first twist', () => {
    // mt19937ar.out lists 1000 outputs of genrand_int32(); its last five are these.
    const mt = new MersenneTwister().seedByArray([0x123, 0x234, 0x345, 0x456]);
    const outputs = take(mt, 1000);
    expect(outputs.slice(-5)).toEqual([2643151863, 3896204135, 2416995901, 1397735321, 3460025646]);
  });

  it('keys longer than the state (the first mixing pass runs key.length times) are deterministic', () => {
    const long = Array.from({ length: 700 }, (_, i) => (i * 2654435761) >>> 0);
    const a = take(new MersenneTwister().seedByArray(long), 3);
    expect(take(new MersenneTwister().seedByArray(long), 3)).toEqual(a);
    long[699] ^= 1; // the last word matters
    expect(take(new MersenneTwister().seedByArray(long), 3)).not.toEqual(a);
  });

  it('reseeding starts over', () => {
    const mt = new MersenneTwister(7);
    const first = take(mt, 700);
    expect(take(mt.seed(7), 700)).toEqual(first);
  });

  it('getState/setState resume the stream exactly, across a twist and through JSON', () => {
    const mt = new MersenneTwister(2147483647);
    take(mt, 620);
    const state: MersenneTwisterState = JSON.parse(JSON.stringify(mt.getState()));
    expect(state.mti).toBe(620);
    const expected = take(mt, 10); // crosses the twist at 624
    expect(take(new MersenneTwister().setState(state), 10)).toEqual(expected);
    expect(take(mt.setState(state), 10)).toEqual(expected);
  });
});

describe('bad arguments', () => {
  const bad = <T>(x: unknown) => x as T;
  it('seed must be a 32-bit unsigned integer', () => {
    expect(() => new MersenneTwister().seed(2 ** 32)).toThrow(
      new RangeError(
        "Argument 's' passed to 'MersenneTwister.seed' must be an integer in [0, 2^32), got 4294967296",
      ),
    );
    expect(() => new MersenneTwister(1.5)).toThrow(/got 1\.5/);
    expect(() => new MersenneTwister(-1)).toThrow(RangeError);
  });

  it('seedByArray needs a non-empty key of 32-bit words', () => {
    expect(() => new MersenneTwister().seedByArray([])).toThrow(/at least one word, got \[\]/);
    expect(() => new MersenneTwister().seedByArray([1, -2])).toThrow(
      new RangeError(
        "Argument 'key' passed to 'MersenneTwister.seedByArray' must hold integers in [0, 2^32), got key[1] = -2",
      ),
    );
  });

  it('setState rejects malformed states and leaves the stream untouched', () => {
    const mt = new MersenneTwister(3);
    const state = mt.getState();
    const message = /Argument 'state' passed to 'setState' must be a state from getState\(\)/;
    expect(() => mt.setState(bad({ mt: [1, 2, 3], mti: 0 }))).toThrow(message);
    expect(() => mt.setState({ ...state, mti: 625 })).toThrow(TypeError);
    expect(() => mt.setState({ ...state, mt: state.mt.map(() => 2 ** 32) })).toThrow(TypeError);
    expect(() => mt.setState(bad(null))).toThrow(TypeError);
    expect(mt.nextUint32()).toBe(new MersenneTwister(3).nextUint32());
  });
});
