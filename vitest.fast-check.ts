import fc from 'fast-check';

// Every vitest project that has property tests loads this first (its `setupFiles`).
// fast-check's default size caps what an arbitrary generates at about 10 + 2 x minLength elements, whatever its
// maxLength says: `fc.array(x, { maxLength: 200 })` gave at most 10 rows, so no property crossed a chunk, a
// 160-character SMS part or a 32-label mask word. With this, an explicit maxLength is the size a test reaches;
// lengths stay biased towards both ends (about 1 draw in 40 is empty or one element).
// An arbitrary without a maxLength keeps the default small size.
fc.configureGlobal({ defaultSizeToMaxWhenMaxSpecified: true });
