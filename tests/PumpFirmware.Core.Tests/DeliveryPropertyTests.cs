using System.Numerics;
using CsCheck;
using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>Properties over at least 30 simulated days of random valid programs and random event
/// sequences. Everything the test checks it computes itself: the ideal integral of the rates with
/// BigInteger rationals from its own model of the schedule, boluses and wall clock; the rolling 24 h
/// drug from the log of every issued step; the PTM rules from the log of every grant.</summary>
public class DeliveryPropertyTests
{
    // Calibrations that divide 64000, so that drug per step x 64000 is an integer (exact window sums).
    internal static readonly long[] Calibrations = { 1000, 2000, 4000, 8000, 16000, 32000, 64000 };

    public sealed record ProgramSpec(long Conc, (int Minute, int StepsPerDay)[] Steps, (int DoseSteps, int Dur, int Lockout, int Max)? Ptm, int LimitPercent,
        int MinRateStepsPerDay, int CatheterSteps);

    public sealed record Op(long DtMicros, int Kind, int A, int B, ProgramSpec? Program);

    public sealed record Case(long StepsPerMl, ProgramSpec Program, Op[] Ops);

    internal static readonly Gen<ProgramSpec> GenProgram =
        Gen.Select(
            Gen.Long[1_000, 5_000_000],
            Gen.Select(Gen.Int[0, 1439], Gen.Int[0, 3000]).Array[1, 12],
            Gen.Select(Gen.Int[1, 200], Gen.Int[1, 120], Gen.Int[0, 240], Gen.Int[1, 10]),
            Gen.Bool,
            Gen.Int[100, 160],
            Gen.Int[0, 300],
            Gen.Int[0, 300])
        .Select((conc, steps, ptm, ptmOn, pct, minRate, catheter) => new ProgramSpec(conc,
            steps.GroupBy(s => s.Item1).Select(g => (g.Key, g.First().Item2)).ToArray(),
            ptmOn ? (ptm.Item1, ptm.Item2, ptm.Item3, ptm.Item4) : null, pct, minRate, catheter));

    // Kinds: 0 START, 1 STOP, 2 BOLUS, 3 BOLUS:CANCEL, 4 PTM, 5 TIME, 6 REFILL, 7 COMMIT (B odd: BRIDGE), 8 POWERCYCLE,
    // 9 nothing, 10 PRIME.
    internal static readonly Gen<Op> GenOp =
        Gen.Select(Gen.Long[0, 12 * Hour], Gen.Frequency((3, Gen.Const(0)), (2, Gen.Const(1)), (3, Gen.Const(2)), (1, Gen.Const(3)),
                (6, Gen.Const(4)), (2, Gen.Const(5)), (1, Gen.Const(6)), (1, Gen.Const(7)), (1, Gen.Const(8)), (2, Gen.Const(9)), (2, Gen.Const(10))),
            Gen.Int[1, 400], Gen.Int[0, 86399], GenProgram)
        .Select((dt, kind, a, b, p) => new Op(dt, kind, a, b, kind == 7 ? p : null));

    private static readonly Gen<Case> GenCase =
        Gen.Select(Gen.Int[0, Calibrations.Length - 1], GenProgram, GenOp.Array[20, 90])
        .Select((c, p, ops) => new Case(Calibrations[c], p, ops));

    private static Prescription Build(ProgramSpec spec, long stepsPerMl)
    {
        var p = new Prescription();
        Check(p.SetDrug("prop", spec.Conc));
        foreach (var (minute, stepsPerDay) in spec.Steps) Check(p.SetStep(minute, stepsPerDay * spec.Conc / stepsPerMl));
        if (spec.Ptm is { } ptm) Check(p.SetPtm(Math.Max(1, ptm.DoseSteps * spec.Conc / stepsPerMl), ptm.Dur, ptm.Lockout, ptm.Max));
        Check(p.SetMinRate(spec.MinRateStepsPerDay * 1_000_000L / stepsPerMl));
        Check(p.SetCatheter(spec.CatheterSteps * 1_000_000L / stepsPerMl));
        Check(p.SetLimit(Math.Max(Math.Max(1, p.MinRateNgPerDay), p.WorstDayNg * spec.LimitPercent / 100)));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 1_000_000));
        return p;
    }

    /// <summary>What a run exercised, so that the property test can show it was not vacuous.</summary>
    internal sealed class Coverage
    {
        public long IdealChecks, Steps, HeldSteps, Grants, WallClockChanges, PowerCycles, Boluses, Bridges, Primes;
    }

    /// <summary>Runs one case through a controller while checking the properties; returns a trace.</summary>
    internal static string Run(Case c, bool check = true, Coverage? coverage = null)
    {
        coverage ??= new Coverage();
        const int MaxStepsPerSecond = 200;
        var trace = new System.Text.StringBuilder();
        var controller = new TherapyController(MaxStepsPerSecond);
        long now = 0;
        controller.Boot(now);
        Assert.True(controller.SetCalibration(c.StepsPerMl, now).IsOk);
        long spm = c.StepsPerMl;
        var program = Build(c.Program, spm);
        Assert.True(controller.Commit(program, false, now).IsOk);
        Assert.True(controller.Refill(Prescription.MaxCapacityNl, now).IsOk);

        // The test's own model.
        long wallOffset = 0;
        bool segmentValid = false;
        long segmentSteps = 0;
        Rational ideal = Rational.Zero;
        long lastT = now;
        (long Start, long End, long DoseNg, int Dur)? bolus = null;
        var stepLog = new List<(long T, long Drug64000, long LimitNg)>();
        var grants = new List<(long T, int Lockout, int Max)>();
        long held = 0;
        long oldConc = 0;

        Rational RateStepsPerMicro(long t)
        {
            long tod = ((t + wallOffset) % Day + Day) % Day;
            long basalNg = program.RateNgPerDayAt((int)(tod / Minute));
            var r = new Rational((BigInteger)basalNg * spm, (BigInteger)program.ConcNgPerMl * Day);
            if (bolus is { } b && t >= b.Start && t < b.End)
                r = r + new Rational((BigInteger)b.DoseNg * 1440 * spm, (BigInteger)b.Dur * program.ConcNgPerMl * Day);
            return r;
        }

        long NextChange(long t)
        {
            long tod = ((t + wallOffset) % Day + Day) % Day;
            long next = long.MaxValue;
            for (int i = 0; i < program.StepCount; i++)
            {
                long m = program.StepMinuteOfDay(i) * Minute;
                long d = m > tod ? m - tod : m + Day - tod;
                next = Math.Min(next, t + d);
            }
            if (bolus is { } b && b.End > t) next = Math.Min(next, b.End);
            return next;
        }

        void Integrate(long to)
        {
            while (lastT < to)
            {
                long end = Math.Min(to, NextChange(lastT));
                var r = RateStepsPerMicro(lastT);
                ideal = ideal + new Rational(r.Num * (end - lastT), r.Den);
                lastT = end;
            }
        }

        void Restart()
        {
            Integrate(now);
            segmentValid = controller.State == TherapyState.Running
                && controller.ActiveBolus != BolusKind.Bridge && controller.ActiveBolus != BolusKind.Prime;
            segmentSteps = 0;
            ideal = Rational.Zero;
        }

        void AdvanceTo(long target)
        {
            while (true)
            {
                long wake = controller.NextWakeMicros;
                long t = Math.Min(wake, target);
                if (t < now) t = now;
                // Just before a step is due (the last µs at which it is not), the ideal is at most one step ahead.
                // At the due µs itself it may be ahead by one step plus what accrues in under 1 µs.
                if (t > now) Integrate(t - 1);
                if (check && segmentValid && controller.State == TherapyState.Running)
                {
                    Assert.True(ideal.CompareTo(segmentSteps + 1) <= 0, $"behind at {t - 1}: {segmentSteps} vs {ideal}");
                }
                Integrate(t);
                now = t;
                if (bolus is { } b && now >= b.End) bolus = null;
                var bolusBefore = controller.ActiveBolus;
                int n = controller.Advance(now);
                if (n > 0)
                {
                    trace.Append(now).Append(':').Append(n).Append(' ');
                    // Prime is outside the window; a bridge is old drug, counted at the old concentration.
                    long conc = bolusBefore == BolusKind.Prime ? 0 : bolusBefore == BolusKind.Bridge ? oldConc : program.ConcNgPerMl;
                    for (int i = 0; i < n; i++) stepLog.Add((now, conc * (64000 / spm), program.LimitNgPerDay));
                    segmentSteps += n;
                }
                // The test's ideal knows basal and boluses only: a bridge or prime ends the checked segment.
                bool bridgeOrPrime = bolusBefore == BolusKind.Bridge || bolusBefore == BolusKind.Prime
                    || controller.ActiveBolus == BolusKind.Bridge || controller.ActiveBolus == BolusKind.Prime;
                if (controller.HeldBackSteps != held || controller.State != TherapyState.Running || bridgeOrPrime) segmentValid = false;
                held = controller.HeldBackSteps;
                if (check && segmentValid)
                {
                    coverage.IdealChecks++;
                    Assert.True(ideal.CompareTo(segmentSteps - 1) >= 0, $"ahead at {now}: {segmentSteps} vs {ideal} lastT={lastT} model={program.CanonicalText()} ctrl={controller.ActiveProgram?.CanonicalText()} rate={controller.RateNgPerDay} bolus={controller.ActiveBolus} state={controller.State} tod={((now + wallOffset) % Day + Day) % Day / Minute} ctod={controller.MicrosOfDay(now) / Minute}");
                    Assert.True(ideal.CompareTo(segmentSteps + 1) <= 0, $"behind at {now}: {segmentSteps} vs {ideal}");
                }
                var e = new TherapyEvent();
                while (controller.TryTakeEvent(e)) trace.Append((int)e.Kind).Append('/').Append(e.Code).Append('/').Append(e.Value1).Append(' ');
                if (wake > target) break;
            }
        }

        var buffer = new byte[32768];
        foreach (var op in c.Ops.Append(new Op(30 * Day, 9, 0, 0, null)))
        {
            AdvanceTo(now + op.DtMicros);
            TherapyResult r;
            switch (op.Kind)
            {
                case 0:
                    if (controller.Start(now).IsOk) Restart();
                    break;
                case 1:
                    controller.Stop(now);
                    bolus = null;
                    Restart();
                    break;
                case 2:
                    long dose = Math.Max(1, op.A * program.ConcNgPerMl / spm);
                    int dur = 1 + op.B % 240;
                    if (controller.StartClinicianBolus(dose, dur, now).IsOk)
                    {
                        Integrate(now);
                        bolus = (now, now + dur * Minute, dose, dur);
                        coverage.Boluses++;
                    }
                    break;
                case 3:
                    Integrate(now);
                    if (controller.CancelBolus(now).IsOk) bolus = null;
                    break;
                case 4:
                    Integrate(now);
                    r = controller.RequestPatientBolus(now);
                    if (r.IsOk)
                    {
                        bolus = (now, now + program.PtmDurationMin * Minute, program.PtmDoseNg, program.PtmDurationMin);
                        grants.Add((now, program.PtmLockoutMin, program.PtmMaxPerDay));
                        coverage.Grants++;
                    }
                    break;
                case 5:
                    Integrate(now);
                    long unix = 1_700_000_000L + op.A * 86_400L + op.B;
                    Assert.True(controller.SetWallClock(unix, now).IsOk);
                    wallOffset = unix * Second - now;
                    coverage.WallClockChanges++;
                    break;
                case 6:
                    Assert.True(controller.Refill(Prescription.MaxCapacityNl, now).IsOk);
                    break;
                case 7:
                    var next = Build(op.Program!, spm);
                    long previousConc = program.ConcNgPerMl;
                    bool wasBridging = controller.ActiveBolus == BolusKind.Bridge;
                    if (controller.Commit(next, op.B % 2 == 1, now).IsOk)
                    {
                        // A bridge that was running goes on with its own old drug (the commit kept drug and
                        // concentration); only a new one takes the previous program's concentration.
                        if (controller.ActiveBolus == BolusKind.Bridge && !wasBridging)
                        {
                            oldConc = previousConc;
                            coverage.Bridges++;
                        }
                        Integrate(now);
                        program = next;
                        bolus = null;
                        Restart();
                    }
                    break;
                case 8:
                    var w = new StateWriter(buffer);
                    controller.Save(w);
                    Assert.False(w.Overflow);
                    controller = new TherapyController(MaxStepsPerSecond);
                    Assert.True(controller.Load(new StateReader(buffer, 0, w.Position)));
                    Integrate(now);
                    now += op.A * Minute;                 // off time: never made up
                    lastT = now;
                    controller.Boot(now);
                    coverage.PowerCycles++;
                    bolus = null;
                    Restart();
                    break;
                case 10:
                    long volume = Math.Min(program.CatheterNl, op.A * 1_000_000L / spm);
                    if (controller.Prime(volume, now).IsOk)
                    {
                        coverage.Primes++;
                        segmentValid = false;
                    }
                    break;
            }
        }

        coverage.Steps += controller.TotalSteps;
        coverage.HeldSteps += controller.HeldBackSteps;
        if (check)
        {
            Assert.True(now >= 30 * Day);
            // The rolling 24 h: for every issued step, the drug of the steps in (t - 24 h, t] is within the limit.
            int first = 0;
            BigInteger sum = 0;
            for (int i = 0; i < stepLog.Count; i++)
            {
                sum += stepLog[i].Drug64000;
                while (stepLog[first].T <= stepLog[i].T - Day) sum -= stepLog[first++].Drug64000;
                // A prime step carries no drug and cannot push the window over; it is checked only
                // through the drug steps. (After a commit that lowers the limit, drug delivered
                // under the old limit may stand above the new one until it expires: the pump then
                // holds every drug step back, but a prime step may still run.)
                if (stepLog[i].Drug64000 > 0)
                    Assert.True(sum <= (BigInteger)stepLog[i].LimitNg * 64000, $"window over the limit at {stepLog[i].T}");
            }
            // PTM: never inside the lockout, never above the count in any rolling 24 h.
            for (int i = 1; i < grants.Count; i++)
            {
                Assert.True(grants[i].T - grants[i - 1].T >= grants[i].Lockout * Minute, "PTM inside lockout");
                int inDay = grants.Take(i + 1).Count(g => g.T > grants[i].T - Day);
                Assert.True(inDay <= grants[i].Max, "PTM above the daily count");
            }
        }
        return trace.ToString();
    }

    [Fact]
    public void Random_programs_and_events_over_30_days_keep_every_promise()
    {
        var coverage = new Coverage();
        GenCase.Sample(c => { Run(c, true, coverage); }, iter: 12, threads: 1);
        // Not vacuous: the bound was checked often, steps were held back, PTMs granted, clocks moved, power cut.
        Assert.True(coverage.IdealChecks > 50_000, $"ideal checks {coverage.IdealChecks}");
        Assert.True(coverage.HeldSteps > 0, "no step was ever held back");
        Assert.True(coverage.Grants > 0 && coverage.Boluses > 0 && coverage.WallClockChanges > 0 && coverage.PowerCycles > 0,
            $"grants {coverage.Grants} boluses {coverage.Boluses} clocks {coverage.WallClockChanges} power {coverage.PowerCycles}");
        Assert.True(coverage.Bridges > 0 && coverage.Primes > 0, $"bridges {coverage.Bridges} primes {coverage.Primes}");
    }

    [Fact]
    public void Same_seed_same_trace()
    {
        GenCase.Sample(c => Assert.Equal(Run(c, check: false), Run(c, check: false)), iter: 3, threads: 1);
    }
}
