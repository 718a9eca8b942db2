// IEC 60601-2-24's occlusion test (clause 201.12.4.4.104 in the 2012 edition: "protection against
// underinfusion from occlusion" and the unintended bolus after it) as one procedure, on a rig or on
// the virtual device with its pressure plant and simulated balance:
//  1. AUTH; PRESSURE? must say fitted=YES (the test needs the pressure rule); PRESSURE:LIMIT when
//     --limit-mmhg is given (the standard uses the minimum occlusion alarm threshold).
//  2. The bench program at the set rate (1000 µg/mL, so µg are µL), REFILL if allowed, START.
//  3. Flow settles for --settle-min while the balance is sampled (the settled rate is measured).
//  4. The block: SIM:FAULT OCCLUSION, or the operator closes the stopcock. Sampled every
//     --sample-s until !ALARM code=OCCLUSION: the time to alarm (device time, to the ms), the
//     volume the pump counted meanwhile (held back in the line) and the pressure at the alarm.
//  5. The release: the stable mass before, SIM:FAULT NONE or the operator opens the stopcock to
//     the collecting vessel, --collect-s later the stable mass again: the unintended bolus.
//  6. ALARM:ACK OCCLUSION; the pump stays SUSPENDED (START resumes it).
using System.Globalization;

namespace PumpCtl.Bench;

/// <summary>Runs the occlusion test.</summary>
public sealed class OcclusionBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly BenchSession _s;
    private readonly OcclusionOptions _o;
    private readonly TextWriter _out;
    private readonly List<OcclusionSample> _samples = new();
    private double _startMs;

    /// <summary>A test through <paramref name="session"/>.</summary>
    public OcclusionBench(BenchSession session, OcclusionOptions options, TextWriter output)
    {
        _s = session;
        _o = options;
        _out = output;
    }

    /// <summary>Runs it; <paramref name="operatorStep"/> is asked to do each manual step on a rig (and returns once done).</summary>
    /// <exception cref="BenchException">A check failed, or no alarm came within the maximum wait.</exception>
    /// <exception cref="IOException">The pump or the balance stopped answering.</exception>
    public OcclusionResult Run(Action<string> operatorStep)
    {
        _s.Auth();
        var pressure = _s.Ok("PRESSURE?").Fields;
        if (pressure.GetValueOrDefault("fitted") != "YES")
        {
            throw new BenchException("the pump has no pressure sensor (PRESSURE? fitted=NO): the occlusion test needs one; on the virtual device " +
                "start it with 'pumpctl sim --plant pressure' (or use --sim)");
        }
        if (_o.LimitMmHg is double limitSet)
        {
            _s.Ok(string.Format(C, "PRESSURE:LIMIT {0:0.###}", limitSet));
        }
        double limit = BenchSession.Number(_s.Ok("PRESSURE?").Fields, "limit_mmhg");
        double hours = _o.SettleMinutes / 60 + _o.MaxMinutes / 60;
        double need = _o.RateMicrolitersPerHour * hours + 1;
        _s.StartBenchProgram(_o.RateMicrolitersPerHour, Math.Max(1, _o.RateMicrolitersPerHour * 24 * 2), need, _o.RefillMicroliters);
        _startMs = BenchSession.Number(_s.Status(), "t_ms");
        _out.WriteLine(string.Format(C, "occlusion test at {0:0.###} uL/h, limit {1:0.###} mmHg: flow settles for {2}", _o.RateMicrolitersPerHour, limit,
            BenchSession.Span(_o.SettleMinutes * 60)));

        // 3. Settle.
        double m0 = Sample("settle")!.MassGrams;
        double t0 = _samples[^1].TimeSeconds;
        while (_samples[^1].TimeSeconds - t0 < _o.SettleMinutes * 60 - 1e-6)
        {
            _s.Wait(Math.Min(_o.SampleSeconds, _o.SettleMinutes * 60 - (_samples[^1].TimeSeconds - t0)), FailOnAlarm);
            Sample("settle");
            _s.Progress($"settling: {BenchSession.Span(_samples[^1].TimeSeconds - t0)} of {BenchSession.Span(_o.SettleMinutes * 60)}");
        }
        double settledHours = (_samples[^1].TimeSeconds - t0) / 3600;
        double settledRate = settledHours > 0 ? (_samples[^1].MassGrams - m0) / _o.DensityGramsPerMilliliter * 1000 / settledHours : 0;
        _out.WriteLine(string.Format(C, "settled: {0:0.###} uL/h on the balance (set {1:0.###})", settledRate, _o.RateMicrolitersPerHour));

        // 4. The block, then samples until the alarm.
        Auth();
        if (_s.SimAdvance) _s.Ok("SIM:FAULT OCCLUSION");
        else operatorStep("Close the stopcock to the collecting vessel now (occlusion), then press Enter.");
        var blocked = _s.Status();
        double blockedMs = BenchSession.Number(blocked, "t_ms");
        double deliveredAtBlock = BenchSession.Number(blocked, "delivered_ul");
        double? alarmMs = null;
        Action<string> watch = line =>
        {
            if (alarmMs == null && line.StartsWith("!ALARM code=OCCLUSION state=RAISED", StringComparison.Ordinal))
            {
                alarmMs = BenchSession.Number(Serial.ProtocolLine.Fields(line), "t_ms");
            }
        };
        _out.WriteLine($"blocked at {BenchSession.Span((blockedMs - _startMs) / 1000)}; waiting for OCCLUSION (at most {BenchSession.Span(_o.MaxMinutes * 60)})");
        while (alarmMs == null)
        {
            _s.Wait(_o.SampleSeconds, watch);
            OcclusionSample sample = Sample("occluded")!;
            if (alarmMs == null && sample.Alarms.Split(',').Contains("OCCLUSION"))
            {
                alarmMs = sample.TimeSeconds * 1000 + _startMs; // seen by STATUS? (its !ALARM went to another client)
            }
            double waited = (sample.TimeSeconds * 1000 + _startMs - blockedMs) / 1000;
            if (alarmMs == null && waited >= _o.MaxMinutes * 60)
            {
                throw new BenchException(string.Format(C, "no OCCLUSION within {0} of the block (pressure {1} mmHg, limit {2:0.###}); a leak past the block, " +
                    "or a limit above what the line reaches? (--max-min waits longer)", BenchSession.Span(waited), sample.PressureMmHg?.ToString("0.###", C) ?? "?", limit));
            }
            _s.Progress(string.Format(C, "occluded for {0}: pressure {1} mmHg of {2:0.###}, {3:0.###} uL pushed", BenchSession.Span(waited),
                sample.PressureMmHg?.ToString("0.0", C) ?? "?", limit, sample.DeliveredMicroliters - deliveredAtBlock));
        }
        var atAlarm = _s.Status();
        var pressureAtAlarm = _s.Ok("PRESSURE?").Fields;
        double timeToAlarm = (alarmMs.Value - blockedMs) / 1000;
        double volumeToAlarm = BenchSession.Number(atAlarm, "delivered_ul") - deliveredAtBlock;
        double pAlarm = pressureAtAlarm.TryGetValue("pressure_mmhg", out string? pText) && double.TryParse(pText, NumberStyles.Float, C, out double p) ? p : double.NaN;
        Sample("alarm");
        _out.WriteLine(string.Format(C, "OCCLUSION after {0} ({1:0.###} s): {2:0.###} uL held back, {3:0.###} mmHg", BenchSession.Span(timeToAlarm), timeToAlarm, volumeToAlarm, pAlarm));

        // 5. The release: the unintended bolus onto the balance.
        double before = _s.StableGrams();
        Auth();
        if (_s.SimAdvance) _s.Ok("SIM:FAULT NONE");
        else operatorStep("Open the stopcock to the collecting vessel now (release), then press Enter.");
        double collected = 0;
        while (collected < _o.CollectSeconds - 1e-6)
        {
            double step = Math.Min(_o.SampleSeconds, _o.CollectSeconds - collected);
            _s.Wait(step);
            collected += step;
            Sample("release");
        }
        double after = _s.StableGrams();
        double bolusGrams = after - before;
        double bolusUl = bolusGrams / _o.DensityGramsPerMilliliter * 1000;
        _out.WriteLine(string.Format(C, "unintended bolus: {0:0.0000} g = {1:0.###} uL", bolusGrams, bolusUl));
        Auth();
        if (BenchSession.ListHas(_s.Status(), "alarms", "OCCLUSION"))
        {
            _s.Ok("ALARM:ACK OCCLUSION");
        }
        return new OcclusionResult
        {
            RateMicrolitersPerHour = _o.RateMicrolitersPerHour,
            LimitMmHg = limit,
            SettledRateMicrolitersPerHour = settledRate,
            TimeToAlarmSeconds = timeToAlarm,
            VolumeToAlarmMicroliters = volumeToAlarm,
            PressureAtAlarmMmHg = pAlarm,
            BolusMicroliters = bolusUl,
            BolusGrams = bolusGrams,
            Samples = _samples.ToArray(),
        };
    }

    private void Auth() => _s.Auth();

    private static void FailOnAlarm(string line)
    {
        if (line.StartsWith("!ALARM code=", StringComparison.Ordinal) && line.Contains("state=RAISED", StringComparison.Ordinal)
            && !line.Contains("code=LOW_RESERVOIR", StringComparison.Ordinal))
        {
            throw new BenchException($"an alarm before the block: {line}; fix its cause and run the test again");
        }
    }

    private OcclusionSample? Sample(string phase)
    {
        var status = _s.Status();
        double mass = _s.GramsNow();
        double? pressure = status.TryGetValue("pressure_mmhg", out string? text) && double.TryParse(text, NumberStyles.Float, C, out double p) ? p : null;
        var sample = new OcclusionSample((BenchSession.Number(status, "t_ms") - _startMs) / 1000, phase, mass, pressure,
            BenchSession.Number(status, "delivered_ul"), status["state"], status["alarms"]);
        _samples.Add(sample);
        return sample;
    }
}
