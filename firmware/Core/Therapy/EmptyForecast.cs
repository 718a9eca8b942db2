// STATUS? empty_in_s: when the reservoir runs dry if nothing changes. The rule (PROTOCOL.md
// "Decisions") is that the forecast is never later than the exact empty time: a person who
// plans a refill by it must never find the pump empty first. The exact empty time is when the
// integral of the programmed volume rates reaches the reservoir volume (the EMPTY alarm comes
// at or after it: the first step the reservoir cannot supply is due once the integral passes
// the reservoir).
//
// Every rounding therefore errs early: the volume of each segment of constant rate is rounded
// UP (in picolitres, from the exact rational rate ng/day x 10^6 / conc), the volume of a whole
// day skipped arithmetically is rounded up, the time into the last segment is rounded DOWN,
// and so are the seconds. Consuming more than the exact volume in the past can only bring the
// empty time forward (the volume left and a bridge's remainder shrink together), so the sum
// of these roundings errs early, by at most one picolitre per segment or skipped day plus one
// second. (Rates in whole nL/day rounded down, as before, made it up to a minute late.)
using PumpFirmware.Dosing;
using PumpFirmware.Units;

namespace PumpFirmware.Therapy
{
    /// <summary>The empty-reservoir forecast of a running or suspended pump. No allocation, bounded work.</summary>
    public static class EmptyForecast
    {
        private const long DayMicros = 86400000000L;
        private const long MinuteMicros = 60000000L;
        private const long PlPerNl = 1000;
        private const int MaxSegments = 400;

        /// <summary>Whole seconds (rounded down) until the reservoir is empty while SUSPENDED at the minimum rate;
        /// 0 when it is empty, -1 when the minimum rate is 0.</summary>
        /// <param name="reservoirNl">Volume left, nL.</param>
        /// <param name="minRateNlPerDay">The program's minimum rate, nL/day.</param>
        public static long SuspendedSeconds(long reservoirNl, long minRateNlPerDay)
        {
            if (reservoirNl <= 0) return 0;
            if (minRateNlPerDay <= 0) return -1;
            return WideMath.MulDivFloor(reservoirNl, 86400, minRateNlPerDay);
        }

        /// <summary>Whole seconds (rounded down) until the reservoir is empty while RUNNING: a bridge first at
        /// <paramref name="bridgeProgram"/>'s rates, then <paramref name="program"/>'s schedule by time of day, plus the
        /// rest of a running clinician or PTM bolus; 0 when it is empty, -1 when the rate stays 0.</summary>
        /// <param name="program">The active program.</param>
        /// <param name="bridgeProgram">The program whose drug a running bridge delivers (ignored when
        /// <paramref name="bridgeNl"/> is 0).</param>
        /// <param name="bridgeNl">Volume of a running bridge left, nL (0 without one).</param>
        /// <param name="reservoirNl">Volume left, nL.</param>
        /// <param name="bolusDoseNg">Dose of a running clinician or PTM bolus, ng (0 without one).</param>
        /// <param name="bolusDurationMin">Its duration, minutes (ignored without one).</param>
        /// <param name="bolusEndMicros">Its end, device timeline µs (ignored without one).</param>
        /// <param name="wallOffsetMicros">Wall clock minus device timeline, µs (0 before TIME): the schedule's time of day.</param>
        /// <param name="nowMicros">Device timeline, µs.</param>
        public static long RunningSeconds(Prescription program, Prescription bridgeProgram, long bridgeNl, long reservoirNl,
            long bolusDoseNg, int bolusDurationMin, long bolusEndMicros, long wallOffsetMicros, long nowMicros)
        {
            if (reservoirNl <= 0) return 0;
            long volumePl = reservoirNl * PlPerNl;
            long bridgePl = bridgeNl > 0 ? bridgeNl * PlPerNl : 0;
            long t = nowMicros;
            bool bolus = bolusDoseNg > 0 && bolusDurationMin > 0 && bolusEndMicros > t;
            long bolusEnd = bolus ? bolusEndMicros : t;
            for (int guard = 0; guard < MaxSegments; guard++)
            {
                Prescription p = bridgePl > 0 ? bridgeProgram : program;
                long schedule = t + wallOffsetMicros;
                long microsOfDay = schedule % DayMicros;
                if (microsOfDay < 0) microsOfDay += DayMicros;
                int minute = (int)(microsOfDay / MinuteMicros);

                // The total rate as an exact fraction: numerator / denominator ng/day of p's drug. A bolus (never
                // during a bridge: one at a time) adds dose x 1440 / duration ng/day of the same drug.
                long numeratorNgPerDay = p.RateNgPerDayAt(minute);
                long denominator = 1;
                bool inBolus = t < bolusEnd;
                if (inBolus)
                {
                    denominator = bolusDurationMin;
                    numeratorNgPerDay = numeratorNgPerDay * bolusDurationMin + bolusDoseNg * 1440;
                }
                int next = p.NextChangeMinute(minute);
                long end = next < 0 ? t + DayMicros : t - microsOfDay + next * MinuteMicros;
                if (end > t + DayMicros) end = t + DayMicros;
                if (inBolus && bolusEnd < end) end = bolusEnd;

                if (numeratorNgPerDay > 0)
                {
                    // pL in dt µs = ng/day x 10^9 / conc x dt / 86400e6 = ng/day x dt x 10 / (conc x 864).
                    long divisor = denominator * p.ConcNgPerMl * 864;
                    long dt = end - t;
                    long segmentPl = VolumePl(numeratorNgPerDay, dt, divisor);
                    long target = bridgePl > 0 && bridgePl < volumePl ? bridgePl : volumePl;
                    if (segmentPl >= target)
                    {
                        // Time to deliver exactly target, rounded down: the forecast errs early.
                        long into = WideMath.MulDivFloor(target, divisor, numeratorNgPerDay * 10);
                        if (target == volumePl) return (t + into - nowMicros) / 1000000;
                        t += into;
                        volumePl -= bridgePl;
                        bridgePl = 0;
                        continue;
                    }
                    volumePl -= segmentPl;
                    if (bridgePl > 0) bridgePl -= segmentPl;
                }
                t = end;
                if (t >= bolusEnd)
                {
                    // Whole days are skipped arithmetically (a bridge's at its own program's daily volume), keeping
                    // more than a day of the bridge or the reservoir to walk by segments.
                    long dailyPl = DailyVolumePl(bridgePl > 0 ? bridgeProgram : program);
                    if (dailyPl == 0) return -1;
                    long left = bridgePl > 0 && bridgePl < volumePl ? bridgePl : volumePl;
                    if (left / 2 > dailyPl)
                    {
                        long days = left / dailyPl - 1;
                        t += days * DayMicros;
                        volumePl -= days * dailyPl;
                        if (bridgePl > 0) bridgePl -= days * dailyPl;
                    }
                }
            }
            return -1;
        }

        // Volume of a rate numerator/divisor over dt µs, pL, rounded up; saturates (the reservoir then empties
        // within the segment) where the quotient would not fit.
        private static long VolumePl(long numeratorNgPerDay, long dtMicros, long divisor)
        {
            long b = dtMicros * 10;
            if (!WideMath.MulDivFits(numeratorNgPerDay, b, divisor)) return long.MaxValue;
            long floor = WideMath.MulDivFloor(numeratorNgPerDay, b, divisor);
            return floor == long.MaxValue ? floor : WideMath.MulDivCeil(numeratorNgPerDay, b, divisor);
        }

        // A day of the schedule, pL, rounded up (0 only when every step is 0): sum of rate x minutes / 1440 ng of drug.
        private static long DailyVolumePl(Prescription p)
        {
            long ngMinutes = 0;
            int count = p.StepCount;
            for (int i = 0; i < count; i++)
            {
                int next = i + 1 < count ? p.StepMinuteOfDay(i + 1) : p.StepMinuteOfDay(0) + 1440;
                ngMinutes += p.StepRateNgPerDay(i) * (next - p.StepMinuteOfDay(i));
            }
            if (ngMinutes == 0) return 0;
            long divisor = 1440L * p.ConcNgPerMl;
            // A day's volume that does not fit in a long is never walked by days (the reservoir holds far less).
            if (!WideMath.MulDivFits(ngMinutes, 1000000000L, divisor)) return long.MaxValue;
            return WideMath.MulDivCeil(ngMinutes, 1000000000L, divisor);
        }
    }
}
