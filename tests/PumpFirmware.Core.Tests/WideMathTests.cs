using System.Numerics;
using CsCheck;
using PumpFirmware.Units;
using Xunit;

namespace PumpFirmware.Core.Tests;

public class WideMathTests
{
    private static readonly Gen<long> AnyNonNegative = Gen.OneOf(
        Gen.Long[0, long.MaxValue],
        Gen.Long[0, 1L << 32],
        Gen.Int[0, 62].Select(s => 1L << s),
        Gen.Int[1, 63].Select(s => (long)((1UL << s) - 1)));

    [Fact]
    public void Multiply_matches_BigInteger()
    {
        Gen.Select(Gen.ULong, Gen.ULong).Sample((a, b) =>
        {
            WideMath.Multiply(a, b, out ulong hi, out ulong lo);
            BigInteger expected = (BigInteger)a * b;
            Assert.Equal(expected, ((BigInteger)hi << 64) + lo);
        }, iter: 20000);
    }

    [Fact]
    public void MulDiv_matches_BigInteger_whenever_the_result_fits()
    {
        Gen.Select(AnyNonNegative, AnyNonNegative, AnyNonNegative.Where(c => c > 0)).Sample((a, b, c) =>
        {
            BigInteger product = (BigInteger)a * b;
            BigInteger floor = BigInteger.Divide(product, c);
            BigInteger ceil = BigInteger.Divide(product + c - 1, c);
            bool fits = floor <= long.MaxValue;
            Assert.Equal(fits, WideMath.MulDivFits(a, b, c));
            if (fits)
            {
                Assert.Equal(floor, (BigInteger)WideMath.MulDivFloor(a, b, c));
                if (ceil <= long.MaxValue) Assert.Equal(ceil, (BigInteger)WideMath.MulDivCeil(a, b, c));
            }
            else
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivFloor(a, b, c));
            }
        }, iter: 50000);
    }

    [Fact]
    public void MulDiv_in_the_engine_range_matches_BigInteger()
    {
        // time since anchor up to a day in µs, rate up to 20000 steps/s in Q32 per day.
        Gen.Select(Gen.Long[0, 86_400_000_000L], Gen.Long[0, 20000L * 86400 << 32]).Sample((t, r) =>
        {
            BigInteger p = (BigInteger)t * r;
            Assert.Equal(p / 86_400_000_000L, (BigInteger)WideMath.MulDivFloor(t, r, 86_400_000_000L));
            Assert.Equal((p + 86_400_000_000L - 1) / 86_400_000_000L, (BigInteger)WideMath.MulDivCeil(t, r, 86_400_000_000L));
        }, iter: 50000);
    }

    [Theory]
    [InlineData(-1L, 1L, 1L)]
    [InlineData(1L, -1L, 1L)]
    [InlineData(1L, 1L, 0L)]
    [InlineData(long.MaxValue, 2L, 1L)]
    public void Preconditions_are_checked(long a, long b, long c)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WideMath.MulDivFloor(a, b, c));
    }
}
