// Bolus accuracy as the standards measure it (IEC 60601-2-24, bolus volume accuracy): the
// smallest, a middle and the largest bolus, each repeated, each weighed on its own; per size the
// mean error and the worst single error. On a rig or on the virtual device:
//  1. AUTH; CAL? gives the calibration and the board's step rate (a bolus's duration is the
//     fewest whole minutes that keep the motor under 80 % of its maximum).
//  2. The bench program with a basal rate of 0 (so the balance sees the bolus alone), the 24 h
//     limit above everything the run delivers, REFILL if allowed, START.
//  3. Per bolus: the stable mass, BOLUS <µL as µg> <min>, wait until bolus=NONE, settle, the
//     stable mass again.
using System.Globalization;

namespace PumpCtl.Bench;

/// <summary>Runs the bolus accuracy test.</summary>
public sealed class BolusBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly BenchSession _s;
    private readonly BolusOptions _o;
    private readonly TextWriter _out;

    /// <summary>A test through <paramref name="session"/>.</summary>
    public BolusBench(BenchSession session, BolusOptions options, TextWriter output)
    {
        _s = session;
        _o = options;
        _out = output;
    }

    /// <summary>The fewest whole minutes that deliver <paramref name="microliters"/> under 80 % of the motor's maximum.</summary>
    public static int DurationMinutes(double microliters, long stepsPerMl, int maxStepsPerSecond)
    {
        double steps = microliters / 1000 * stepsPerMl;
        return Math.Max(1, (int)Math.Ceiling(steps / (0.8 * maxStepsPerSecond * 60)));
    }

    /// <summary>Runs it.</summary>
    /// <exception cref="BenchException">A check failed or a bolus did not end cleanly.</exception>
    /// <exception cref="IOException">The pump or the balance stopped answering.</exception>
    public BolusResult Run()
    {
        _s.Auth();
        var cal = _s.Ok("CAL?").Fields;
        long stepsPerMl = long.Parse(cal["steps_per_ml"], C);
        int maxSteps = int.Parse(cal["max_steps_s"], C);
        double total = _o.SizesMicroliters.Sum() * _o.Repeats;
        _s.StartBenchProgram(0, total * 2 + 1000, total + _o.SizesMicroliters.Max(), _o.RefillMicroliters);
        var shots = new List<BolusShot>();
        int done = 0, count = _o.SizesMicroliters.Count * _o.Repeats;
        foreach (double size in _o.SizesMicroliters)
        {
            int minutes = DurationMinutes(size, stepsPerMl, maxSteps);
            for (int i = 1; i <= _o.Repeats; i++)
            {
                double m0 = _s.StableGrams();
                _s.Auth();
                _s.Ok(string.Format(C, "BOLUS {0:0.###} {1}", size * BenchSession.BenchConcentrationUgPerMl / 1000.0, minutes));
                WaitForBolus(minutes);
                double m1 = _s.StableGrams();
                double volume = (m1 - m0) / _o.DensityGramsPerMilliliter * 1000;
                var shot = new BolusShot(size, i, minutes, m1 - m0, volume, 100 * (volume - size) / size);
                shots.Add(shot);
                done++;
                _s.Progress(string.Format(C, "bolus {0} of {1}: {2:0.###} uL set, {3:0.###} uL weighed ({4:+0.00;-0.00;0.00} %)", done, count, size, volume, shot.ErrorPercent),
                    force: i == _o.Repeats);
            }
        }
        var sizes = _o.SizesMicroliters.Select(size => BolusSizeSummary.Of(size, shots.Where(s => s.SizeMicroliters == size).ToList())).ToList();
        foreach (BolusSizeSummary s in sizes)
        {
            _out.WriteLine(string.Format(C, "{0,8:0.###} uL x {1}: mean {2:0.####} uL, mean error {3:+0.00;-0.00;0.00} %, worst {4:+0.00;-0.00;0.00} %, sd {5:0.####} uL",
                s.SizeMicroliters, s.Count, s.MeanMicroliters, s.MeanErrorPercent, s.WorstErrorPercent, s.StdDevMicroliters));
        }
        return new BolusResult(sizes, shots);
    }

    private void WaitForBolus(int minutes)
    {
        _s.Wait(minutes * 60 + 1, FailOnStoppingAlarm);
        for (int polls = 0; ; polls++)
        {
            var status = _s.Status();
            foreach (string stopping in new[] { "EMPTY", "STALL", "OCCLUSION", "CRITICAL", "DOSE_LIMIT" })
            {
                if (BenchSession.ListHas(status, "alarms", stopping))
                {
                    throw new BenchException($"{stopping} was raised during a bolus (alarms={status["alarms"]}); fix the cause and run the test again");
                }
            }
            if (status["bolus"] == "NONE")
            {
                break;
            }
            if (polls > 60)
            {
                throw new BenchException($"a bolus of {minutes} min has not ended after {minutes} min + 60 s (bolus={status["bolus"]}); is the pump's clock running?");
            }
            _s.Wait(1);
        }
        _s.Wait(_o.SettleSeconds);
    }

    private static void FailOnStoppingAlarm(string line)
    {
        if (line.StartsWith("!ALARM code=", StringComparison.Ordinal) && line.Contains("state=RAISED", StringComparison.Ordinal)
            && !line.Contains("code=LOW_RESERVOIR", StringComparison.Ordinal))
        {
            throw new BenchException($"an alarm during the run: {line}; fix its cause and run the test again");
        }
    }
}
