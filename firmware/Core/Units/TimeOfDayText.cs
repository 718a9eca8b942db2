// Times of day on the wire are "hh:mm", 00:00 to 23:59. Anything else, including 24:00 and
// 12:60, is malformed (ERR 400), never clamped.
namespace PumpFirmware.Units
{
    /// <summary>"hh:mm" &lt;-&gt; minute of day (0..1439).</summary>
    public static class TimeOfDayText
    {
        /// <summary>Minutes in a day.</summary>
        public const int MinutesPerDay = 1440;

        /// <summary>Parses exactly two digits, ':', two digits, 00:00..23:59.</summary>
        /// <param name="minuteOfDay">0..1439 when true, else 0.</param>
        public static bool TryParse(string text, out int minuteOfDay)
        {
            minuteOfDay = 0;
            if (text == null) return false;
            return TryParse(text, 0, text.Length, out minuteOfDay);
        }

        /// <summary>Parses characters [start, start + length); see <see cref="TryParse(string, out int)"/>.</summary>
        public static bool TryParse(string text, int start, int length, out int minuteOfDay)
        {
            minuteOfDay = 0;
            if (text == null || start < 0 || length != 5 || start + length > text.Length || text[start + 2] != ':')
            {
                return false;
            }
            int h1 = Digit(text[start]);
            int h2 = Digit(text[start + 1]);
            int m1 = Digit(text[start + 3]);
            int m2 = Digit(text[start + 4]);
            if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return false;
            int hours = h1 * 10 + h2;
            int minutes = m1 * 10 + m2;
            if (hours > 23 || minutes > 59) return false;
            minuteOfDay = hours * 60 + minutes;
            return true;
        }

        /// <summary>Writes "hh:mm" (5 characters) for <paramref name="minuteOfDay"/> (0..1439).</summary>
        public static int Format(int minuteOfDay, char[] buffer, int offset)
        {
            int hours = minuteOfDay / 60;
            int minutes = minuteOfDay % 60;
            buffer[offset] = (char)('0' + hours / 10);
            buffer[offset + 1] = (char)('0' + hours % 10);
            buffer[offset + 2] = ':';
            buffer[offset + 3] = (char)('0' + minutes / 10);
            buffer[offset + 4] = (char)('0' + minutes % 10);
            return 5;
        }

        /// <summary>"hh:mm" for <paramref name="minuteOfDay"/> (allocates).</summary>
        public static string Format(int minuteOfDay)
        {
            char[] buffer = new char[5];
            Format(minuteOfDay, buffer, 0);
            return new string(buffer);
        }

        private static int Digit(char c)
        {
            return c >= '0' && c <= '9' ? c - '0' : -1;
        }
    }
}
