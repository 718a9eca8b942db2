using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using Xunit;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>PROTOCOL.md "Decisions": a bridge ends only when its volume is delivered. During a bridge, a commit that
/// keeps the drug and concentration leaves it running; one that changes either is refused with
/// <c>ERR 409 bridge in progress</c>. The 24 h window always counts the catheter's old drug at its own concentration.
/// Calibration 10^6 steps/mL: one step is 1 nL. The old drug is 1 mg/mL (1 ng/nL), the new one a quarter of it.</summary>
public class BridgeRuleTests
{
    private const long CatheterNl = 600;

    /// <summary>1 mg/mL at 1440 ng/day: 1 nL a minute.</summary>
    private static Prescription Old()
    {
        var p = Program("baclofen", 1_000_000, 100_000, (0, 1_440));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        return p;
    }

    /// <summary>0.25 mg/mL at the same 1440 ng/day: 4 nL a minute, with a 600 nL catheter.</summary>
    private static Prescription Diluted(long ptmDoseNg = 0)
    {
        var p = Program("baclofen", 250_000, 100_000, (0, 1_440));
        Check(p.SetReservoir(Prescription.MaxCapacityNl, 0));
        Check(p.SetCatheter(CatheterNl));
        if (ptmDoseNg > 0) Check(p.SetPtm(ptmDoseNg, 10, 60, 4));
        return p;
    }

    private static Rig Bridging()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(Old(), 1_000_000_000);
        rig.Ok(rig.Do((c, t) => c.Commit(Diluted(), true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        return rig;
    }

    [Fact]
    public void A_commit_that_keeps_the_drug_and_concentration_leaves_the_bridge_running()
    {
        var rig = Bridging();
        rig.RunTo(60 * Minute);
        Assert.Equal(CatheterNl - 60, rig.C.BridgeRemainingNl);

        var onlyPtmChanged = Diluted(ptmDoseNg: 50);
        rig.Ok(rig.Do((c, t) => c.Commit(onlyPtmChanged, false, t)));

        Assert.Equal(onlyPtmChanged.ComputeCrc(), rig.C.ProgramCrc);
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(CatheterNl - 60, rig.C.BridgeRemainingNl);
        Assert.Equal(1_440, rig.C.RateNlPerDay);                      // still the old program's volume rate
        Assert.Empty(rig.EventsOf(TherapyEventKind.BolusCancelled));
    }

    [Fact]
    public void A_commit_with_BRIDGE_that_keeps_the_drug_during_a_bridge_keeps_the_running_one()
    {
        var rig = Bridging();
        rig.RunTo(100 * Minute);
        rig.Ok(rig.Do((c, t) => c.Commit(Diluted(ptmDoseNg: 50), true, t)));
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(CatheterNl - 100, rig.C.BridgeRemainingNl);      // not restarted at the catheter volume
    }

    [Theory]
    [InlineData("baclofen", 500_000)]       // another concentration
    [InlineData("morphine", 250_000)]       // another drug at the same concentration
    [InlineData("baclofen", 1_000_000)]     // back to the old concentration
    public void A_commit_that_changes_the_drug_or_concentration_during_a_bridge_is_refused(string drug, long concNgPerMl)
    {
        var rig = Bridging();
        rig.RunTo(60 * Minute);
        int crc = rig.C.ProgramCrc;
        var other = Diluted();
        Check(other.SetDrug(drug, concNgPerMl));

        foreach (bool bridge in new[] { false, true })
        {
            var r = rig.Do((c, t) => c.Commit(other, bridge, t));
            Assert.Equal((409, "bridge in progress"), (r.Code, r.Detail));
        }
        Assert.Equal(crc, rig.C.ProgramCrc);
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(CatheterNl - 60, rig.C.BridgeRemainingNl);
    }

    [Fact]
    public void The_bridge_refusal_comes_before_the_program_checks()
    {
        // 409 before 422: a program over its own limit, with another concentration, is refused for the bridge.
        var rig = Bridging();
        var overLimit = Diluted();
        Check(overLimit.SetDrug("baclofen", 500_000));
        Check(overLimit.SetStep(0, 200_000));
        var r = rig.Do((c, t) => c.Commit(overLimit, false, t));
        Assert.Equal((409, "bridge in progress"), (r.Code, r.Detail));
    }

    [Fact]
    public void Once_the_bridge_is_delivered_a_new_concentration_may_be_committed()
    {
        var rig = Bridging();
        rig.RunTo(CatheterNl * Minute);
        Assert.Equal(BolusKind.None, rig.C.ActiveBolus);
        var stronger = Diluted();
        Check(stronger.SetDrug("baclofen", 500_000));
        rig.Ok(rig.Do((c, t) => c.Commit(stronger, false, t)));
    }

    [Fact]
    public void The_window_counts_the_catheters_old_drug_at_its_own_concentration_whatever_is_committed_meanwhile()
    {
        // The real drug that left the catheter: its first 600 nL after the bridge's commit are old drug (1 ng/nL),
        // the rest is new drug (0.25 ng/nL). The window must never count less than that, at any moment of the day,
        // although the PTM is changed an hour into the bridge.
        var rig = Bridging();
        long stepsAtBridge = rig.C.TotalSteps;
        long windowAtBridge = rig.C.WindowNg(rig.Now);
        bool committed = false;
        rig.OnAdvance = (now, _) =>
        {
            if (!committed && now >= 60 * Minute)
            {
                committed = true;
                rig.Ok(rig.C.Commit(Diluted(ptmDoseNg: 50), false, now));
            }
            long deliveredNl = rig.C.TotalSteps - stepsAtBridge;
            long oldNl = Math.Min(deliveredNl, CatheterNl);
            long realNg = oldNl * 1 + (deliveredNl - oldNl) / 4;
            Assert.True(rig.C.WindowNg(now) - windowAtBridge >= realNg,
                $"at {now / Minute} min the window counts {rig.C.WindowNg(now) - windowAtBridge} ng of {realNg} ng delivered");
            Assert.Equal(deliveredNl < CatheterNl, rig.C.ActiveBolus == BolusKind.Bridge);
        };
        rig.RunTo(20 * Hour);
        Assert.True(committed);
        // 600 nL of old drug at 1 nL/min, then 4 nL/min: 600 + 4 x 600 nL by 20 h.
        Assert.Equal(CatheterNl + 4 * 600, rig.C.TotalSteps - stepsAtBridge);
    }
}
