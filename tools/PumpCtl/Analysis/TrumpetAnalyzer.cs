// IEC 60601-2-24's trumpet method, as DOMAIN.md states it, on a cumulative-volume series:
//  1. Resample the log to a regular grid t_k = t_0 + k·Δt by linear interpolation of the
//     cumulative volume. Interpolating the integral (not the flow) conserves volume exactly
//     between rows, and the standard's formulas only ever use W at grid points. Rows further
//     apart than MaxGapFactor·Δt are refused: bridging them would invent a smooth flow the
//     pump may not have had.
//  2. Start-up curve Q_i = (V_i − V_{i−1}) / Δt over the first StartupMinutes (as much as the
//     log holds).
//  3. Over T2 = [T2Start, T2Start + T2]: Q̄ = (V(end) − V(start)) / T2, A = 100 (Q̄ − r) / r.
//  4. For each window P: n = P/Δt, m = (T2 − P)/Δt + 1 windows j = 1..m,
//     E_j = 100 [ (W(j+n−1) − W(j−1)) / P − r ] / r with W indexed from the start of T2,
//     Ep(max) = max E_j, Ep(min) = min E_j.
// Volumes are µL, rates µL/h, times s internally; the standard's mL/h and g enter only
// through the density (mass source) when the log is read.
namespace PumpCtl.Analysis;

/// <summary>Computes the start-up curve, the mean error and the trumpet curve.</summary>
public static class TrumpetAnalyzer
{
    /// <summary>Runs the method on <paramref name="samples"/> (time-ordered rows of one run).</summary>
    /// <exception cref="AnalysisException">The log is too short or irregular, or the parameters do not fit each other.</exception>
    public static TrumpetResult Analyze(IReadOnlyList<LogSample> samples, TrumpetOptions options)
    {
        CheckParameters(options);
        if (samples.Count < 2)
        {
            throw new AnalysisException($"the log has {samples.Count} usable row(s); the analysis needs samples every {options.DtSeconds} s " +
                $"up to minute {options.T2StartMinutes + options.T2Minutes}");
        }
        double dt = options.DtSeconds;
        double t0 = samples[0].TimeSeconds;
        // The log's span is that of its first run: a device restart sets t_ms back to 0.
        int run = 1;
        while (run < samples.Count && samples[run].TimeSeconds > samples[run - 1].TimeSeconds)
        {
            run++;
        }
        double span = samples[run - 1].TimeSeconds - t0;
        (double runEnd, string runEndReason) = RunEnd(samples, run, t0, dt * options.MaxGapFactor);
        double t2Start = options.T2StartMinutes * 60.0;
        double t2End = t2Start + options.T2Minutes * 60.0;
        if (span + 1e-6 < t2End && run < samples.Count)
        {
            throw new AnalysisException($"time does not increase at {Where(samples[run])} (t_ms {samples[run - 1].TimeSeconds * 1000:0} then " +
                $"{samples[run].TimeSeconds * 1000:0}) at minute {span / 60:0.#}, before T2 ends (minute {t2End / 60:0.#}): the device restarted " +
                "or rows are out of order; analyse one run without a restart");
        }
        if (span + 1e-6 < t2End)
        {
            throw new AnalysisException($"T2 needs {options.T2Minutes} min of samples from minute {options.T2StartMinutes} (to minute {options.T2StartMinutes + options.T2Minutes}); " +
                $"the log covers 0-{Math.Floor(span / 60.0 * 10) / 10:0.#} min ({samples.Count} rows)");
        }
        double used = Math.Max(t2End, Math.Min(options.StartupMinutes * 60.0, span));
        double maxGap = CheckGaps(samples, t0, used, dt * options.MaxGapFactor, dt);
        // Only the analysed span counts from here on: what the log holds after it (another
        // program, a restart whose t_ms starts again at 0) must not leak into the set rate.
        samples = UpTo(samples, t0 + used);
        string usedEndReason = used <= t2End + 1e-9 && t2End >= Math.Min(options.StartupMinutes * 60.0, span) - 1e-9
            ? $"the end of T2 (minute {t2End / 60:0.#})"
            : used >= options.StartupMinutes * 60.0 - 1e-9
                ? $"the end of the {options.StartupMinutes} min start-up period"
                : "the end of the log's run";

        int gridCount = (int)Math.Floor(used / dt + 1e-9) + 1;
        double[] v = Resample(samples, t0, dt, gridCount);

        int startupPoints = (int)Math.Min(gridCount - 1, Math.Floor(Math.Min(options.StartupMinutes * 60.0, span) / dt + 1e-9));
        var startupV = new double[startupPoints + 1];
        for (int i = 0; i <= startupPoints; i++)
        {
            startupV[i] = v[i] - v[0];
        }
        var startupT = new double[startupPoints];
        var startupQ = new double[startupPoints];
        for (int i = 1; i <= startupPoints; i++)
        {
            startupT[i - 1] = i * dt / 60.0;
            startupQ[i - 1] = (v[i] - v[i - 1]) * 3600.0 / dt;
        }

        int k0 = options.T2StartMinutes * 60 / options.DtSeconds;
        int kEnd = k0 + options.T2Minutes * 60 / options.DtSeconds;
        (double r, string origin) = SetRate(samples, t0, t2Start, t2End, options);

        double meanFlow = (v[kEnd] - v[k0]) * 60.0 / options.T2Minutes;
        double meanError = 100.0 * (meanFlow - r) / r;

        var windows = new List<WindowResult>();
        foreach (int p in options.WindowsMinutes)
        {
            int n = p * 60 / options.DtSeconds;
            int m = (options.T2Minutes - p) * 60 / options.DtSeconds + 1;
            double max = double.NegativeInfinity, min = double.PositiveInfinity;
            for (int j = 1; j <= m; j++)
            {
                // W(j−1) and W(j+n−1), counted from W(0) at the start of T2.
                double flow = (v[k0 + j + n - 1] - v[k0 + j - 1]) * 60.0 / p;
                double e = 100.0 * (flow - r) / r;
                max = Math.Max(max, e);
                min = Math.Min(min, e);
            }
            windows.Add(new WindowResult(p, max, min, m));
        }

        return new TrumpetResult
        {
            SetRateMicrolitersPerHour = r,
            SetRateOrigin = origin,
            MeanFlowMicrolitersPerHour = meanFlow,
            MeanErrorPercent = meanError,
            Windows = windows,
            StartupTimeMinutes = startupT,
            StartupFlowMicrolitersPerHour = startupQ,
            StartupVolumeMicroliters = startupV,
            SampleCount = samples.Count,  // rows within the analysed span
            ResampledCount = gridCount,
            LogSpanMinutes = span / 60.0,
            MaxGapSeconds = maxGap,
            FirstLine = samples[0].FileLine,
            LastLine = samples[^1].FileLine,
            UsedMinutes = used / 60.0,
            UsedEndReason = usedEndReason,
            RunEndMinutes = runEnd / 60.0,
            RunEndReason = runEndReason,
        };
    }

    private static void CheckParameters(TrumpetOptions o)
    {
        if (o.DtSeconds <= 0)
        {
            throw new AnalysisException($"--dt-s must be positive (got {o.DtSeconds})");
        }
        if (o.T2Minutes <= 0 || o.T2StartMinutes < 0)
        {
            throw new AnalysisException($"T2 must start at minute 0 or later and last at least 1 min (got start {o.T2StartMinutes}, length {o.T2Minutes})");
        }
        if (o.T2StartMinutes * 60 % o.DtSeconds != 0 || o.T2Minutes * 60 % o.DtSeconds != 0)
        {
            throw new AnalysisException($"Δt = {o.DtSeconds} s must divide T2's start ({o.T2StartMinutes} min) and length ({o.T2Minutes} min)");
        }
        foreach (int p in o.WindowsMinutes)
        {
            if (p * 60 % o.DtSeconds != 0)
            {
                throw new AnalysisException($"Δt = {o.DtSeconds} s does not divide the {p} min observation window; choose a Δt that divides 60 s (e.g. 30)");
            }
            if (p > o.T2Minutes)
            {
                throw new AnalysisException($"the {p} min observation window is longer than T2 ({o.T2Minutes} min); use --t2-min {p} or more");
            }
        }
        if (o.SetRateMicrolitersPerHour is double r && !(r > 0))
        {
            throw new AnalysisException($"--rate-ul-h must be positive (got {r})");
        }
        if (!(o.DensityGramsPerMilliliter > 0))
        {
            throw new AnalysisException($"--density must be positive (got {o.DensityGramsPerMilliliter})");
        }
    }

    // Returns the largest gap in [t0, t0 + used]; throws on the first one longer than the limit.
    private static double CheckGaps(IReadOnlyList<LogSample> s, double t0, double used, double limit, double dt)
    {
        double maxGap = 0;
        for (int i = 1; i < s.Count && s[i - 1].TimeSeconds - t0 < used; i++)
        {
            double gap = s[i].TimeSeconds - s[i - 1].TimeSeconds;
            if (gap <= 0)
            {
                throw new AnalysisException($"time does not increase at {Where(s[i])} (t_ms {s[i - 1].TimeSeconds * 1000:0} then {s[i].TimeSeconds * 1000:0}); " +
                    "the device restarted or rows are out of order: analyse one run without a restart");
            }
            if (gap > limit + 1e-9)
            {
                throw new AnalysisException($"the log is irregular: a gap of {gap:0.#} s between minute {(s[i - 1].TimeSeconds - t0) / 60:0.##} and " +
                    $"{(s[i].TimeSeconds - t0) / 60:0.##} ({Where(s[i])}) is longer than {limit:0.#} s ({limit / dt:0.#} × Δt); " +
                    "log with --period at most Δt, or analyse with a longer --dt-s");
            }
            maxGap = Math.Max(maxGap, gap);
        }
        return maxGap;
    }

    // Where the log's first run ends, and why: the log ends, the device restarted (t_ms goes
    // back: a power cycle), or a gap longer than the analysis may bridge.
    private static (double End, string Reason) RunEnd(IReadOnlyList<LogSample> s, int run, double t0, double limit)
    {
        for (int i = 1; i < run; i++)
        {
            double gap = s[i].TimeSeconds - s[i - 1].TimeSeconds;
            if (gap > limit + 1e-9)
            {
                return (s[i - 1].TimeSeconds - t0, $"a gap of {gap:0.#} s before {Where(s[i])}, longer than {limit:0.#} s");
            }
        }
        if (run < s.Count)
        {
            return (s[run - 1].TimeSeconds - t0, $"a power cycle or restart at {Where(s[run])} (t_ms goes back from " +
                $"{s[run - 1].TimeSeconds * 1000:0} to {s[run].TimeSeconds * 1000:0})");
        }
        return (s[run - 1].TimeSeconds - t0, "the log ends");
    }

    // The rows up to and including the first one at or after `end` (so interpolation has both ends).
    private static IReadOnlyList<LogSample> UpTo(IReadOnlyList<LogSample> s, double end)
    {
        int count = 1;
        while (count < s.Count && s[count - 1].TimeSeconds < end - 1e-9)
        {
            count++;
        }
        return count == s.Count ? s : s.Take(count).ToList();
    }

    private static string Where(LogSample s) => s.FileLine > 0 ? $"line {s.FileLine}" : "a row";

    private static double[] Resample(IReadOnlyList<LogSample> s, double t0, double dt, int count)
    {
        var v = new double[count];
        int i = 0;
        for (int k = 0; k < count; k++)
        {
            double t = t0 + k * dt;
            while (i + 1 < s.Count - 1 && s[i + 1].TimeSeconds <= t)
            {
                i++;
            }
            LogSample a = s[i], b = s[i + 1];
            double f = (t - a.TimeSeconds) / (b.TimeSeconds - a.TimeSeconds);
            f = Math.Clamp(f, 0, 1);
            v[k] = a.VolumeMicroliters + f * (b.VolumeMicroliters - a.VolumeMicroliters);
        }
        return v;
    }

    private static (double Rate, string Origin) SetRate(IReadOnlyList<LogSample> s, double t0, double t2Start, double t2End, TrumpetOptions o)
    {
        if (o.SetRateMicrolitersPerHour is double given)
        {
            return (given, "option");
        }
        double? low = null, high = null;
        foreach (LogSample x in s)
        {
            double t = x.TimeSeconds - t0;
            if (t < t2Start - 1e-9 || t > t2End + 1e-9 || x.RateMicrolitersPerDay is not double rate)
            {
                continue;
            }
            low = low is null ? rate : Math.Min(low.Value, rate);
            high = high is null ? rate : Math.Max(high.Value, rate);
        }
        if (low is null)
        {
            throw new AnalysisException("the log has no rate_ul_day within T2; give the set rate with --rate-ul-h");
        }
        if (high!.Value != low.Value)
        {
            throw new AnalysisException($"the logged rate_ul_day changes within T2 (from {low:0.###} to {high:0.###} µL/day), " +
                "so there is no single set rate; give it with --rate-ul-h or choose a T2 with one rate");
        }
        if (!(low.Value > 0))
        {
            throw new AnalysisException("the logged rate_ul_day is 0 within T2 (was the pump running?); give the set rate with --rate-ul-h");
        }
        return (low.Value / 24.0, "log");
    }
}
