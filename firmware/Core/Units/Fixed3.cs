// Protocol decimals ("2.4", "0.125", "2000") parsed exactly into integer thousandths, and
// printed back with exactly three decimals. No floating point anywhere: a dose typed on the
// wire arrives at the motor as the same integer. Formatting writes into a caller-owned char[]
// so that telemetry costs no allocation.
namespace PumpFirmware.Units
{
    /// <summary>Exact decimal text with at most 3 fractional digits &lt;-&gt; long thousandths.</summary>
    public static class Fixed3
    {
        /// <summary>Most characters <see cref="Format(long, char[], int)"/> writes ("-9223372036854775.808").</summary>
        public const int MaxFormattedLength = 21;

        /// <summary>Parses <c>[0-9]+(\.[0-9]{1,3})?</c> into thousandths ("2.4" gives 2400).</summary>
        /// <param name="text">The text; null is malformed.</param>
        /// <param name="maxThousandths">The largest value accepted (inclusive); larger well-formed values are OutOfRange.</param>
        /// <param name="thousandths">The value in thousandths when Ok, else 0.</param>
        public static ParseStatus TryParse(string text, long maxThousandths, out long thousandths)
        {
            if (text == null)
            {
                thousandths = 0;
                return ParseStatus.Malformed;
            }
            return TryParse(text, 0, text.Length, maxThousandths, out thousandths);
        }

        /// <summary>Parses characters [start, start + length) of <paramref name="text"/>; see
        /// <see cref="TryParse(string, long, out long)"/>. Never throws for any range inside the text.</summary>
        public static ParseStatus TryParse(string text, int start, int length, long maxThousandths, out long thousandths)
        {
            thousandths = 0;
            if (text == null || start < 0 || length <= 0 || start + length > text.Length)
            {
                return ParseStatus.Malformed;
            }
            // Syntax first, so that a 25-digit number followed by junk is malformed, not out of range.
            int end = start + length;
            int dot = -1;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c == '.')
                {
                    if (dot >= 0) return ParseStatus.Malformed;
                    dot = i;
                }
                else if (c < '0' || c > '9')
                {
                    return ParseStatus.Malformed;
                }
            }
            int intEnd = dot >= 0 ? dot : end;
            int fractionDigits = dot >= 0 ? end - dot - 1 : 0;
            if (intEnd == start || (dot >= 0 && (fractionDigits < 1 || fractionDigits > 3)))
            {
                return ParseStatus.Malformed;
            }

            long value = 0;
            for (int i = start; i < intEnd; i++)
            {
                if (!Accumulate(ref value, text[i] - '0')) return ParseStatus.OutOfRange;
            }
            for (int i = 0; i < 3; i++)
            {
                int digit = i < fractionDigits ? text[dot + 1 + i] - '0' : 0;
                if (!Accumulate(ref value, digit)) return ParseStatus.OutOfRange;
            }
            if (value > maxThousandths)
            {
                return ParseStatus.OutOfRange;
            }
            thousandths = value;
            return ParseStatus.Ok;
        }

        /// <summary>Parses a plain non-negative integer <c>[0-9]+</c> (counts: CAL, max_per_day, TEL, LOG?).</summary>
        /// <param name="text">The text; null is malformed.</param>
        /// <param name="max">The largest value accepted (inclusive).</param>
        /// <param name="value">The value when Ok, else 0.</param>
        public static ParseStatus TryParseInteger(string text, long max, out long value)
        {
            if (text == null)
            {
                value = 0;
                return ParseStatus.Malformed;
            }
            return TryParseInteger(text, 0, text.Length, max, out value);
        }

        /// <summary>Parses characters [start, start + length) as a plain integer; see
        /// <see cref="TryParseInteger(string, long, out long)"/>.</summary>
        public static ParseStatus TryParseInteger(string text, int start, int length, long max, out long value)
        {
            value = 0;
            if (text == null || start < 0 || length <= 0 || start + length > text.Length)
            {
                return ParseStatus.Malformed;
            }
            int end = start + length;
            for (int i = start; i < end; i++)
            {
                if (text[i] < '0' || text[i] > '9') return ParseStatus.Malformed;
            }
            long result = 0;
            for (int i = start; i < end; i++)
            {
                if (!Accumulate(ref result, text[i] - '0')) return ParseStatus.OutOfRange;
            }
            if (result > max)
            {
                return ParseStatus.OutOfRange;
            }
            value = result;
            return ParseStatus.Ok;
        }

        /// <summary>Writes <paramref name="thousandths"/> with exactly 3 decimals ("12.345", "-0.001",
        /// "0.000") at <paramref name="offset"/>. No allocation.</summary>
        /// <returns>The number of characters written (at most <see cref="MaxFormattedLength"/>).</returns>
        public static int Format(long thousandths, char[] buffer, int offset)
        {
            int position = offset;
            ulong magnitude;
            if (thousandths < 0)
            {
                buffer[position++] = '-';
                // Two's complement negation in unsigned arithmetic also covers long.MinValue.
                magnitude = (ulong)(-(thousandths + 1)) + 1UL;
            }
            else
            {
                magnitude = (ulong)thousandths;
            }
            ulong whole = magnitude / 1000UL;
            int fraction = (int)(magnitude % 1000UL);
            position += WriteDigits(whole, buffer, position);
            buffer[position++] = '.';
            buffer[position++] = (char)('0' + fraction / 100);
            buffer[position++] = (char)('0' + (fraction / 10) % 10);
            buffer[position++] = (char)('0' + fraction % 10);
            return position - offset;
        }

        /// <summary>The text of <paramref name="thousandths"/> with exactly 3 decimals (allocates).</summary>
        public static string Format(long thousandths)
        {
            char[] buffer = new char[MaxFormattedLength];
            int length = Format(thousandths, buffer, 0);
            return new string(buffer, 0, length);
        }

        /// <summary>Writes a plain integer (with '-' when negative) at <paramref name="offset"/>. No allocation.</summary>
        /// <returns>The number of characters written (at most 20).</returns>
        public static int FormatInteger(long value, char[] buffer, int offset)
        {
            int position = offset;
            ulong magnitude;
            if (value < 0)
            {
                buffer[position++] = '-';
                magnitude = (ulong)(-(value + 1)) + 1UL;
            }
            else
            {
                magnitude = (ulong)value;
            }
            position += WriteDigits(magnitude, buffer, position);
            return position - offset;
        }

        /// <summary>The text of a plain integer (allocates).</summary>
        public static string FormatInteger(long value)
        {
            char[] buffer = new char[20];
            int length = FormatInteger(value, buffer, 0);
            return new string(buffer, 0, length);
        }

        private static int WriteDigits(ulong value, char[] buffer, int offset)
        {
            int count = 1;
            for (ulong rest = value / 10UL; rest != 0; rest /= 10UL)
            {
                count++;
            }
            for (int i = count - 1; i >= 0; i--)
            {
                buffer[offset + i] = (char)('0' + (int)(value % 10UL));
                value /= 10UL;
            }
            return count;
        }

        private static bool Accumulate(ref long value, int digit)
        {
            if (value > (long.MaxValue - digit) / 10)
            {
                return false;
            }
            value = value * 10 + digit;
            return true;
        }
    }
}
