using PumpFirmware.Dosing;
using PumpFirmware.Therapy;

namespace PumpFirmware.Core.Tests;

/// <summary>Drives a TherapyController the way the virtual device does: jump straight to
/// NextWakeMicros, issue what Advance returns, record every step and event.</summary>
internal sealed class Rig
{
    public const long Second = 1_000_000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;
    public const long Day = 24 * Hour;

    public readonly TherapyController C;
    public long Now;
    public readonly List<(long T, int Steps)> Steps = new();
    public readonly List<TherapyEvent> Events = new();

    public Rig(int maxStepsPerSecond = 1000, long start = 0)
    {
        C = new TherapyController(maxStepsPerSecond);
        Now = start;
        C.Boot(Now);
        Drain();
    }

    /// <summary>Called after each Advance with the time and the steps issued.</summary>
    public Action<long, int>? OnAdvance;

    public void RunTo(long t)
    {
        while (C.NextWakeMicros <= t)
        {
            long wake = C.NextWakeMicros;
            if (wake > Now) Now = wake;
            Step();
        }
        if (t > Now) Now = t;
        Step();
    }

    public void RunFor(long micros) => RunTo(Now + micros);

    private void Step()
    {
        int n = C.Advance(Now);
        if (n > 0) Steps.Add((Now, n));
        OnAdvance?.Invoke(Now, n);
        Drain();
    }

    public void Drain()
    {
        var e = new TherapyEvent();
        while (C.TryTakeEvent(e))
        {
            var copy = new TherapyEvent();
            copy.CopyFrom(e);
            Events.Add(copy);
            e = new TherapyEvent();
        }
    }

    public void Ok(TherapyResult r)
    {
        Drain();
        if (!r.IsOk) throw new Xunit.Sdk.XunitException($"expected OK, got {r.Code} {r.Detail}");
    }

    public TherapyResult Do(Func<TherapyController, long, TherapyResult> command)
    {
        C.Advance(Now); // the app advances before a command (steps due now would be issued first)
        var r = command(C, Now);
        Drain();
        return r;
    }

    public static Prescription Program(string drug, long concNgPerMl, long limitNg, params (int Minute, long RateNg)[] steps)
    {
        var p = new Prescription();
        Check(p.SetDrug(drug, concNgPerMl));
        Check(p.SetLimit(limitNg));
        foreach (var s in steps) Check(p.SetStep(s.Minute, s.RateNg));
        return p;
    }

    public static void Check(string? error)
    {
        if (error != null) throw new Xunit.Sdk.XunitException(error);
    }

    /// <summary>Commit, fill the reservoir, start.</summary>
    public void Begin(Prescription p, long reservoirNl = 20_000_000)
    {
        if (reservoirNl > p.CapacityNl) Check(p.SetReservoir(reservoirNl, p.LowAlarmNl));
        Ok(C.Commit(p, false, Now));
        Ok(C.Refill(reservoirNl, Now));
        Ok(C.Start(Now));
    }

    public IEnumerable<TherapyEvent> EventsOf(TherapyEventKind kind) => Events.Where(e => e.Kind == kind);
}
