using System.Numerics;
using CsCheck;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The 128-by-64 division (Knuth's algorithm D, base 2^32) and the preconditions of the
/// multiply-divide functions. The engine only ever divides by a day in µs, so these tests
/// reach the corners the engine never does: divisors with the top bit set (no normalising
/// shift), divisors below 2^32, quotient digits that need one or two corrections, and results
/// at exactly 2^63 - 1.
/// </summary>
public class WideMathDivisionTests
{
    // Divisors of every shape: full-width, top bit set, below 2^32, powers of two and 2^k - 1,
    // and a high half of all ones (the case where the first quotient estimate reaches 2^32).
    private static readonly Gen<ulong> Divisor = Gen.OneOf(
        Gen.ULong[1, ulong.MaxValue],
        Gen.ULong[1UL << 63, ulong.MaxValue],
        Gen.ULong[1, uint.MaxValue],
        Gen.Int[0, 63].Select(s => 1UL << s),
        Gen.Int[1, 64].Select(s => s == 64 ? ulong.MaxValue : (1UL << s) - 1),
        Gen.UInt.Select(low => 0xFFFF_FFFF_0000_0000UL | low),
        Gen.UInt[1, uint.MaxValue].Select(high => ((ulong)high << 32) | 0xFFFF_FFFFUL));

    private static Gen<(ulong High, ulong Low, ulong Divisor)> Dividend =>
        Divisor.SelectMany(d => Gen.OneOf(
            // any high half the precondition allows
            Gen.Select(Gen.ULong[0, d - 1], Gen.ULong),
            // the largest numerators: high = d - 1, where the estimate is most often too big
            Gen.ULong.Select(low => (d - 1, low)),
            // a high half that shares its top 32 bits with the (normalised) divisor
            Gen.Select(Gen.UInt, Gen.ULong).Select((bits, low) =>
            {
                ulong high = (d & 0xFFFF_FFFF_0000_0000UL) | bits;
                return (high >= d ? d - 1 : high, low);
            }),
            // exact multiples of d, and one less than them
            Gen.ULong[0, ulong.MaxValue].Select(q =>
            {
                WideMath.Multiply(q, d, out ulong hi, out ulong lo);
                return (hi, lo);
            }))
            .Select(hl => (hl.Item1, hl.Item2, d)));

    [Fact]
    public void Divide_matches_BigInteger_for_every_shape_of_divisor()
    {
        Dividend.Sample(t =>
        {
            BigInteger n = ((BigInteger)t.High << 64) + t.Low;
            BigInteger q = BigInteger.DivRem(n, t.Divisor, out BigInteger r);
            ulong quotient = WideMath.Divide(t.High, t.Low, t.Divisor, out ulong remainder);
            Assert.Equal(q, (BigInteger)quotient);
            Assert.Equal(r, (BigInteger)remainder);
        }, iter: 200_000);
    }

    [Theory]
    // Each case was checked against a model of the algorithm that counts its corrections.
    // First digit estimated at 2^32, corrected twice, its remainder estimate reaching exactly 2^32:
    [InlineData(0x8000_0000_0000_0000UL, 0x0000_0000_0000_0000UL, 0x8000_0000_FFFF_FFFFUL)]
    // Both digits estimated one too big (the first at 2^32):
    [InlineData(0x0000_0003_0000_0000UL, 0x0000_0000_0000_0000UL, 0x0000_0003_0000_0001UL)]
    // First digit corrected twice:
    [InlineData(0x9755_D4C1_0683_9EB9UL, 0x025B_413F_8A9A_021EUL, 0x9755_D4C1_FFFF_FFFFUL)]
    // Second digit corrected twice:
    [InlineData(0xCC41_D9C0_F075_34FDUL, 0xE69B_AE29_F652_D008UL, 0xCC41_D9C0_F075_34FEUL)]
    // Divisor with its top bit set (no normalising shift), and one below 2^32 (shift of 62):
    [InlineData(0x7FFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFFFUL, 0x8000_0000_0000_0001UL)]
    [InlineData(0x0000_0000_0000_0001UL, 0x0000_0000_0000_0000UL, 0x0000_0000_0000_0003UL)]
    // All ones:
    [InlineData(0xFFFF_FFFF_FFFF_FFFEUL, 0xFFFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void Divide_hard_cases_match_BigInteger(ulong high, ulong low, ulong divisor)
    {
        BigInteger n = ((BigInteger)high << 64) + low;
        BigInteger q = BigInteger.DivRem(n, divisor, out BigInteger r);
        ulong quotient = WideMath.Divide(high, low, divisor, out ulong remainder);
        Assert.Equal(q, (BigInteger)quotient);
        Assert.Equal(r, (BigInteger)remainder);
    }

    [Theory]
    [InlineData(0UL, 10UL, 0UL)]   // division by zero
    [InlineData(5UL, 0UL, 5UL)]    // high == divisor: the quotient needs 65 bits
    [InlineData(9UL, 0UL, 5UL)]    // high > divisor
    public void Divide_refuses_a_quotient_that_does_not_fit(ulong high, ulong low, ulong divisor)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.Divide(high, low, divisor, out _));
        Assert.Equal("divisor", ex.ParamName);
        Assert.Contains("quotient does not fit in 64 bits", ex.Message);
    }

    [Theory]
    // A negative operand is a caller bug even where the product would be 0 and "work".
    [InlineData(-1L, 0L, 1L)]
    [InlineData(0L, -1L, 1L)]
    [InlineData(-1L, 1L, 1L)]
    [InlineData(1L, -1L, 1L)]
    [InlineData(1L, 1L, 0L)]
    [InlineData(0L, 0L, 0L)]
    [InlineData(1L, 1L, -1L)]
    public void MulDiv_refuses_negative_operands_and_a_zero_divisor(long a, long b, long c)
    {
        var floor = Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivFloor(a, b, c));
        Assert.Equal("c", floor.ParamName);
        Assert.Contains("MulDiv needs a >= 0, b >= 0, c > 0", floor.Message);
        var ceil = Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivCeil(a, b, c));
        Assert.Contains("MulDiv needs a >= 0, b >= 0, c > 0", ceil.Message);
        Assert.False(WideMath.MulDivFits(a, b, c));
    }

    [Theory]
    [InlineData(0L, 0L, 1L)]
    [InlineData(0L, long.MaxValue, 1L)]
    [InlineData(long.MaxValue, 0L, long.MaxValue)]
    public void Zero_operands_are_allowed(long a, long b, long c)
    {
        Assert.Equal(0, WideMath.MulDivFloor(a, b, c));
        Assert.Equal(0, WideMath.MulDivCeil(a, b, c));
        Assert.True(WideMath.MulDivFits(a, b, c));
    }

    [Fact]
    public void A_result_of_exactly_2_to_the_63_minus_1_is_returned()
    {
        Assert.Equal(long.MaxValue, WideMath.MulDivFloor(long.MaxValue, 1, 1));
        Assert.Equal(long.MaxValue, WideMath.MulDivCeil(long.MaxValue, 3, 3));
        Assert.True(WideMath.MulDivFits(long.MaxValue, 1, 1));
        // (2^32 + 1)(2^32 - 1) / 2 = (2^64 - 1) / 2: the floor is 2^63 - 1, remainder 1.
        Assert.Equal(long.MaxValue, WideMath.MulDivFloor((1L << 32) + 1, (1L << 32) - 1, 2));
        Assert.True(WideMath.MulDivFits((1L << 32) + 1, (1L << 32) - 1, 2));
    }

    [Fact]
    public void A_ceiling_one_past_2_to_the_63_minus_1_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivCeil((1L << 32) + 1, (1L << 32) - 1, 2));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("result does not fit in 63 bits", ex.Message);
    }

    [Theory]
    [InlineData(long.MaxValue, 2L, 1L)]           // high half (0) < c but the quotient is 2^64 - 2
    [InlineData(long.MaxValue, 4L, 2L)]           // high half (1) < c, quotient 2^64 - 2
    [InlineData(long.MaxValue, long.MaxValue, 3L)] // high half >= c
    [InlineData(1L << 62, 8L, 4L)]                // high half (2) < c, quotient exactly 2^63
    [InlineData(long.MaxValue, 4L, 1L)]           // high half (1) == c
    public void A_result_of_2_to_the_63_or_more_is_refused(long a, long b, long c)
    {
        var floor = Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivFloor(a, b, c));
        Assert.Equal("c", floor.ParamName);
        Assert.Contains("result does not fit in 63 bits", floor.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivCeil(a, b, c));
        Assert.False(WideMath.MulDivFits(a, b, c));
    }
}
