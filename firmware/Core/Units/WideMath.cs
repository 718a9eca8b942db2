// 128-bit intermediate arithmetic without UInt128 or BigInteger (neither exists on
// nanoFramework). The delivery engine needs (time x rate) / day with time in µs and rate in
// Q32 steps per day: the product reaches ~2^96, the quotient fits in 63 bits. Everything here
// is plain ulong arithmetic on 32-bit halves, so it runs the same on the ESP32 and the host.
// The division is the classic normalised two-digit long division (Knuth's algorithm D with
// base 2^32, as laid out in Hacker's Delight), so a MulDiv costs a few dozen instructions
// rather than a 128-iteration shift-subtract loop: it sits on the per-step path.
using System;

namespace PumpFirmware.Units
{
    /// <summary>Exact 64x64-&gt;128 multiply and floor/ceil multiply-divide for non-negative longs.</summary>
    public static class WideMath
    {
        private const ulong Low32 = 0xFFFFFFFFUL;
        private const ulong Base = 0x100000000UL;

        /// <summary>The full 128-bit product of two unsigned 64-bit values.</summary>
        public static void Multiply(ulong a, ulong b, out ulong high, out ulong low)
        {
            ulong a0 = a & Low32;
            ulong a1 = a >> 32;
            ulong b0 = b & Low32;
            ulong b1 = b >> 32;
            ulong p00 = a0 * b0;
            ulong p01 = a0 * b1;
            ulong p10 = a1 * b0;
            ulong p11 = a1 * b1;
            // Middle column: three terms each below 2^32, so their sum cannot overflow.
            ulong middle = (p00 >> 32) + (p01 & Low32) + (p10 & Low32);
            low = (middle << 32) | (p00 & Low32);
            high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
        }

        /// <summary>Divides the 128-bit value (high, low) by <paramref name="divisor"/>.</summary>
        /// <remarks>Precondition: <paramref name="divisor"/> &gt; 0 and <paramref name="high"/> &lt;
        /// <paramref name="divisor"/> (the quotient fits in 64 bits); throws ArgumentOutOfRangeException otherwise.</remarks>
        public static ulong Divide(ulong high, ulong low, ulong divisor, out ulong remainder)
        {
            if (divisor == 0 || high >= divisor)
            {
                throw new ArgumentOutOfRangeException("divisor", "quotient does not fit in 64 bits");
            }
            if (high == 0)
            {
                remainder = low % divisor;
                return low / divisor;
            }
            int shift = LeadingZeros(divisor);
            ulong v = divisor << shift;
            ulong vHigh = v >> 32;
            ulong vLow = v & Low32;
            ulong numeratorHigh = shift == 0 ? high : (high << shift) | (low >> (64 - shift));
            ulong numeratorLow = low << shift;
            ulong n1 = numeratorLow >> 32;
            ulong n0 = numeratorLow & Low32;

            ulong q1 = numeratorHigh / vHigh;
            ulong rhat = numeratorHigh - q1 * vHigh;
            while (q1 >= Base || q1 * vLow > ((rhat << 32) | n1))
            {
                q1--;
                rhat += vHigh;
                if (rhat >= Base) break;
            }
            ulong middle = ((numeratorHigh << 32) | n1) - q1 * v;

            ulong q0 = middle / vHigh;
            rhat = middle - q0 * vHigh;
            while (q0 >= Base || q0 * vLow > ((rhat << 32) | n0))
            {
                q0--;
                rhat += vHigh;
                if (rhat >= Base) break;
            }
            remainder = (((middle << 32) | n0) - q0 * v) >> shift;
            return (q1 << 32) | q0;
        }

        /// <summary>floor(a * b / c) exactly.</summary>
        /// <remarks>Preconditions: a &gt;= 0, b &gt;= 0, c &gt; 0 and the result &lt; 2^63; throws
        /// ArgumentOutOfRangeException otherwise (a caller bug, never a runtime condition).</remarks>
        public static long MulDivFloor(long a, long b, long c)
        {
            ulong remainder;
            return MulDivCore(a, b, c, out remainder);
        }

        /// <summary>floor(a * b / c) exactly, and the remainder (a * b - floor * c, 0 &lt;= it &lt; c). Same preconditions
        /// as <see cref="MulDivFloor(long, long, long)"/>.</summary>
        public static long MulDivFloor(long a, long b, long c, out long remainder)
        {
            ulong rest;
            long quotient = MulDivCore(a, b, c, out rest);
            remainder = (long)rest;
            return quotient;
        }

        /// <summary>ceil(a * b / c) exactly. Same preconditions as <see cref="MulDivFloor(long, long, long)"/>.</summary>
        public static long MulDivCeil(long a, long b, long c)
        {
            ulong remainder;
            long quotient = MulDivCore(a, b, c, out remainder);
            if (remainder != 0)
            {
                if (quotient == long.MaxValue) throw new ArgumentOutOfRangeException("c", "result does not fit in 63 bits");
                quotient++;
            }
            return quotient;
        }

        /// <summary>True if floor(a * b / c) &lt; 2^63 (so the MulDiv functions may be called); a, b &gt;= 0, c &gt; 0.</summary>
        public static bool MulDivFits(long a, long b, long c)
        {
            if (a < 0 || b < 0 || c <= 0) return false;
            ulong high, low;
            Multiply((ulong)a, (ulong)b, out high, out low);
            // quotient < 2^63  <=>  a*b < c * 2^63  <=>  high < c / 2 (c even) ... use the exact form:
            // (high, low) < (c >> 1, (c & 1) << 63)
            ulong limitHigh = (ulong)c >> 1;
            ulong limitLow = ((ulong)c & 1UL) << 63;
            return high < limitHigh || (high == limitHigh && low < limitLow);
        }

        private static long MulDivCore(long a, long b, long c, out ulong remainder)
        {
            if (a < 0 || b < 0 || c <= 0)
            {
                throw new ArgumentOutOfRangeException("c", "MulDiv needs a >= 0, b >= 0, c > 0");
            }
            ulong high, low;
            Multiply((ulong)a, (ulong)b, out high, out low);
            if (high >= (ulong)c)
            {
                throw new ArgumentOutOfRangeException("c", "result does not fit in 63 bits");
            }
            ulong quotient = Divide(high, low, (ulong)c, out remainder);
            if (quotient > (ulong)long.MaxValue)
            {
                throw new ArgumentOutOfRangeException("c", "result does not fit in 63 bits");
            }
            return (long)quotient;
        }

        private static int LeadingZeros(ulong value)
        {
            // The first step assigns rather than adds: C# masks shift counts to 6 bits, so a count
            // that started at -32 would shift identically and a wrong sign could go unnoticed.
            int count = 0;
            if ((value >> 32) == 0) { count = 32; value <<= 32; }
            if ((value >> 48) == 0) { count += 16; value <<= 16; }
            if ((value >> 56) == 0) { count += 8; value <<= 8; }
            if ((value >> 60) == 0) { count += 4; value <<= 4; }
            if ((value >> 62) == 0) { count += 2; value <<= 2; }
            if ((value >> 63) == 0) { count += 1; }
            return count;
        }
    }
}
