using System.Numerics;

namespace PumpFirmware.Core.Tests;

/// <summary>An exact fraction for the tests' independent ideal (BigInteger, always reduced, den &gt; 0).</summary>
internal readonly struct Rational
{
    public readonly BigInteger Num;
    public readonly BigInteger Den;

    public Rational(BigInteger num, BigInteger den)
    {
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsZero && !g.IsOne) { num /= g; den /= g; }
        Num = num;
        Den = den.IsZero ? BigInteger.One : den;
    }

    public static readonly Rational Zero = new(0, 1);
    public static Rational operator +(Rational a, Rational b) => new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) => new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public int CompareTo(BigInteger n) => Num.CompareTo(n * Den);
    public override string ToString() => $"{Num}/{Den} (~{(double)Num / (double)Den:F6})";
}
