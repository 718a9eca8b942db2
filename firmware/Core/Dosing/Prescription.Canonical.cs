// The program's canonical text (PROTOCOL.md "Decisions"): one line with every field in a fixed order
// and exact decimals, plus the daily and worst-day totals, so that two programs with the same text
// run the same. Its CRC-16 is what PROG:REVIEW shows and PROG:COMMIT must be given, and what
// STATUS? reports as program_crc. Written into a caller's buffer: no allocation on that path.
using PumpFirmware.Units;

namespace PumpFirmware.Dosing
{
    public sealed partial class Prescription
    {
        /// <summary>Writes the canonical text (PROTOCOL.md "Decisions") into <paramref name="buffer"/>
        /// (at least <see cref="MaxCanonicalLength"/> chars). No allocation. Call only when <see cref="IsComplete"/>.</summary>
        /// <returns>The number of characters written.</returns>
        public int FormatCanonical(char[] buffer)
        {
            int p = 0;
            p = Put(buffer, p, "drug=");
            p = Put(buffer, p, _drugName == null ? string.Empty : _drugName);
            p = PutFixed(buffer, p, " conc_ug_ml=", _concNgPerMl);
            p = PutFixed(buffer, p, " limit_ug_day=", _limitNgPerDay);
            p = Put(buffer, p, " schedule_ug_day=");
            for (int i = 0; i < _stepCount; i++)
            {
                if (i > 0) buffer[p++] = ',';
                p += TimeOfDayText.Format(_stepMinuteOfDay[i], buffer, p);
                buffer[p++] = '/';
                p += Fixed3.Format(_stepRateNgPerDay[i], buffer, p);
            }
            p = Put(buffer, p, _ptmEnabled ? " ptm=ON" : " ptm=OFF");
            p = PutFixed(buffer, p, " ptm_dose_ug=", _ptmDoseNg);
            p = PutInteger(buffer, p, " ptm_duration_min=", _ptmDurationMin);
            p = PutInteger(buffer, p, " ptm_lockout_min=", _ptmLockoutMin);
            p = PutInteger(buffer, p, " ptm_max_per_day=", _ptmMaxPerDay);
            p = PutFixed(buffer, p, " capacity_ul=", _capacityNl);
            p = PutFixed(buffer, p, " low_alarm_ul=", _lowAlarmNl);
            p = PutFixed(buffer, p, " catheter_ul=", _catheterNl);
            p = PutFixed(buffer, p, " minrate_ul_day=", _minRateNlPerDay);
            p = PutFixed(buffer, p, " daily_ug=", DailyNg);
            p = PutFixed(buffer, p, " worst_day_ug=", WorstDayNg);
            return p;
        }

        /// <summary>The canonical text (allocates).</summary>
        public string CanonicalText()
        {
            char[] buffer = new char[MaxCanonicalLength];
            int length = FormatCanonical(buffer);
            return new string(buffer, 0, length);
        }

        /// <summary>CRC-16/CCITT-FALSE of the canonical text (the program's review/commit checksum). No allocation
        /// when given a scratch buffer of <see cref="MaxCanonicalLength"/> chars.</summary>
        public int ComputeCrc(char[] scratch)
        {
            int length = FormatCanonical(scratch);
            return Crc16.Update(Crc16.Initial, scratch, 0, length);
        }

        /// <summary>CRC-16 of the canonical text (allocates a scratch buffer).</summary>
        public int ComputeCrc()
        {
            return ComputeCrc(new char[MaxCanonicalLength]);
        }

        private static int Put(char[] buffer, int position, string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[position++] = text[i];
            }
            return position;
        }

        private static int PutFixed(char[] buffer, int position, string key, long thousandths)
        {
            position = Put(buffer, position, key);
            return position + Fixed3.Format(thousandths, buffer, position);
        }

        private static int PutInteger(char[] buffer, int position, string key, long value)
        {
            position = Put(buffer, position, key);
            return position + Fixed3.FormatInteger(value, buffer, position);
        }
    }
}
