// Alarms as bits of one int, so that the active set, the acknowledged set and their changes are
// plain integers (no collections, no allocation). The bit order is the table order of
// PROTOCOL.md, which is also the order in which lists are printed.
namespace PumpFirmware.Therapy
{
    /// <summary>Alarm bits and their protocol names.</summary>
    public static class AlarmCode
    {
        /// <summary>No alarm.</summary>
        public const int None = 0;

        /// <summary>Reservoir at or below low_alarm_ul. Does not stop delivery. Cleared by REFILL.</summary>
        public const int LowReservoir = 1;

        /// <summary>The reservoir cannot supply the next step. Stops delivery. Cleared by REFILL (then SUSPENDED until START).</summary>
        public const int Empty = 2;

        /// <summary>Steps not confirmed by the motor. Stops delivery. Latched: cleared when the cause is gone and acknowledged.</summary>
        public const int Stall = 4;

        /// <summary>Occlusion input asserted. Stops delivery. Latched like STALL.</summary>
        public const int Occlusion = 8;

        /// <summary>A step was held back by the 24 h ceiling. Holds steps back; cleared 10 min after the last one.</summary>
        public const int DoseLimit = 16;

        /// <summary>Battery input below threshold. Does not stop delivery. Cleared when restored.</summary>
        public const int LowBattery = 32;

        /// <summary>Stored state failed its checks, or a self-test failed. Stops delivery. Cleared by a new commit.</summary>
        public const int Critical = 64;

        /// <summary>A refill check found a residual that differs from the reservoir accounting by more than the
        /// programmed gap (REFILL:GAP). Does not stop delivery. Cleared by ALARM:ACK (it marks an event, not a
        /// condition that could go away by itself).</summary>
        public const int RefillGap = 128;

        /// <summary>Elective replacement indicator: the battery's forecast end of service is 90 days or less away.
        /// Does not stop delivery. Cleared only by BATT:REPLACED.</summary>
        public const int Eri = 256;

        /// <summary>End of service: the battery's charge is used up. Stops delivery. No commit clears it, only
        /// BATT:REPLACED (then SUSPENDED until START).</summary>
        public const int Eos = 512;

        /// <summary>Number of alarm codes.</summary>
        public const int Count = 10;

        /// <summary>The alarms that stop delivery (state ALARM while any is active).</summary>
        public const int StoppingMask = Empty | Stall | Occlusion | Critical | Eos;

        /// <summary>All alarm bits.</summary>
        public const int AllMask = 1023;

        /// <summary>The bit of alarm number <paramref name="index"/> (0..Count-1, table order).</summary>
        public static int FromIndex(int index)
        {
            return 1 << index;
        }

        /// <summary>The protocol name of one alarm bit ("LOW_RESERVOIR", ...); "NONE" for 0 or an unknown bit.</summary>
        public static string Name(int code)
        {
            switch (code)
            {
                case LowReservoir: return "LOW_RESERVOIR";
                case Empty: return "EMPTY";
                case Stall: return "STALL";
                case Occlusion: return "OCCLUSION";
                case DoseLimit: return "DOSE_LIMIT";
                case LowBattery: return "LOW_BATTERY";
                case Critical: return "CRITICAL";
                case RefillGap: return "REFILL_GAP";
                case Eri: return "ERI";
                case Eos: return "EOS";
                default: return "NONE";
            }
        }

        /// <summary>The bit for a protocol name, case-insensitive; false (and 0) if unknown.</summary>
        public static bool TryParse(string name, out int code)
        {
            code = 0;
            if (name == null) return false;
            for (int i = 0; i < Count; i++)
            {
                string candidate = Name(FromIndex(i));
                if (EqualsIgnoreCase(candidate, name))
                {
                    code = FromIndex(i);
                    return true;
                }
            }
            return false;
        }

        /// <summary>Writes a set as "NONE" or "CODE,CODE" in table order into <paramref name="buffer"/>. No allocation.</summary>
        /// <returns>The number of characters written (at most 86).</returns>
        public static int FormatList(int alarms, char[] buffer, int offset)
        {
            int position = offset;
            if ((alarms & AllMask) == 0)
            {
                return Put(buffer, position, "NONE") - offset;
            }
            bool first = true;
            for (int i = 0; i < Count; i++)
            {
                int bit = FromIndex(i);
                if ((alarms & bit) == 0) continue;
                if (!first) buffer[position++] = ',';
                position = Put(buffer, position, Name(bit));
                first = false;
            }
            return position - offset;
        }

        /// <summary>"NONE" or "CODE,CODE" (allocates).</summary>
        public static string FormatList(int alarms)
        {
            char[] buffer = new char[96];
            int length = FormatList(alarms, buffer, 0);
            return new string(buffer, 0, length);
        }

        private static int Put(char[] buffer, int position, string text)
        {
            for (int i = 0; i < text.Length; i++) buffer[position++] = text[i];
            return position;
        }

        private static bool EqualsIgnoreCase(string a, string b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                char x = a[i];
                char y = b[i];
                if (x >= 'a' && x <= 'z') x = (char)(x - 32);
                if (y >= 'a' && y <= 'z') y = (char)(y - 32);
                if (x != y) return false;
            }
            return true;
        }
    }
}
