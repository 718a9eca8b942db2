using PumpFirmware.Dosing;
using PumpFirmware.Therapy;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// What every therapy command promises the application, whatever it does: it takes its time as
/// the controller's latest (so a later call stamped earlier cannot run time backwards), and it
/// leaves <see cref="TherapyController.NextWakeMicros"/> up to date, so that the device, which
/// sleeps until that instant, never wakes late after a command changed the rate or a timer.
/// One step is 1 nL and 1 ng throughout (10^6 steps/mL, 1 mg/mL).
/// </summary>
public class TherapyCommandContractTests
{
    /// <summary>1 step/min from 00:00, 2 steps/min from 06:00; minimum rate 144 nL/day (a step every
    /// 10 min); PTM 60 ng over 60 min, 30 min lockout, 3 a day; catheter 500 nL; limit 100 ug.</summary>
    internal static Prescription Program()
    {
        var p = Rig.Program("drug", 1_000_000, 100_000, (0, 1440), (360, 2880));
        Check(p.SetMinRate(144));
        Check(p.SetPtm(60, 60, 30, 3));
        Check(p.SetCatheter(500));
        Check(p.SetReservoir(1_000_000_000, 1_000));
        return p;
    }

    internal static Rig Running()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(1_000_000, 0));
        rig.Begin(Program(), 1_000_000);
        return rig;
    }

    public static TheoryData<string> Commands => new()
    {
        "START", "STOP", "COMMIT", "BOLUS", "BOLUS:CANCEL", "PTM", "PRIME", "REFILL", "CAL", "TIME", "ALARM:ACK", "INPUTS",
        "CRITICAL", "BOOT",
    };

    private static void Issue(TherapyController c, string command, long t)
    {
        switch (command)
        {
            case "START": c.Start(t); break;
            case "STOP": c.Stop(t); break;
            case "COMMIT": c.Commit(Program(), false, t); break;
            case "BOLUS": c.StartClinicianBolus(60, 60, t); break;
            case "BOLUS:CANCEL": c.CancelBolus(t); break;
            case "PTM": c.RequestPatientBolus(t); break;
            case "PRIME": c.Prime(100, t); break;                  // refused: not STOPPED
            case "REFILL": c.Refill(500_000, t); break;
            case "CAL": c.SetCalibration(1_000_000, t); break;
            case "TIME": c.SetWallClock(1_750_000_000, t); break;
            case "ALARM:ACK": c.AcknowledgeAlarm(AlarmCode.Stall, t); break;   // refused: not active
            case "INPUTS": c.SetInputs(false, false, false, t); break;
            case "CRITICAL": c.RaiseCritical(t); break;
            case "BOOT": c.Boot(t); break;
            default: throw new ArgumentException(command);
        }
    }

    private static long LastNow(TherapyController c) =>
        TherapyStateImageTests.Image.Of(c).LastNow;

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_takes_its_time_as_the_latest_accepted_or_refused(string command)
    {
        var rig = Running();
        rig.RunTo(Hour);
        Assert.Equal(Hour, LastNow(rig.C));
        Issue(rig.C, command, Hour + 17 * Second);
        Assert.Equal(Hour + 17 * Second, LastNow(rig.C));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_stamped_earlier_than_the_latest_does_not_move_time_back(string command)
    {
        // It acts at the latest time instead (a CAL stamped earlier once threw from the engine's
        // arithmetic on a negative elapsed time).
        var rig = Running();
        rig.RunTo(Hour);
        Issue(rig.C, command, Hour - 5 * Second);
        Assert.Equal(Hour, LastNow(rig.C));
    }

    /// <summary>A scenario: its set-up, then the command at <c>rig.Now</c>; and, where it can be
    /// derived by hand, the instant of the next wake-up after the command.</summary>
    public static TheoryData<string> Scenarios => new()
    {
        "START from SUSPENDED restarts the schedule", "STOP to the minimum rate", "COMMIT restarts the schedule",
        "BOLUS adds its rate", "BOLUS:CANCEL removes it", "PTM adds its rate", "PRIME at the motor maximum",
        "REFILL after EMPTY resumes the minimum rate", "CAL doubles the steps", "TIME moves into the 06:00 step",
        "ALARM:ACK of a stall whose cause is gone", "INPUTS raise OCCLUSION", "CRITICAL stops delivery",
    };

    private static (Rig Rig, Func<TherapyController, long, TherapyResult> Command, long? ExpectedWake) Scenario(string name)
    {
        var rig = Running();
        switch (name)
        {
            case "START from SUSPENDED restarts the schedule":
                rig.Ok(rig.Do((c, t) => c.Stop(t)));            // SUSPENDED: a step every 10 min
                rig.RunTo(25 * Minute);
                return (rig, (c, t) => c.Start(t), 26 * Minute); // 1/min from this instant
            case "STOP to the minimum rate":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => c.Stop(t), 30 * Second + 5 * Minute);   // half a step accrued, 10 min a step
            case "COMMIT restarts the schedule":
                rig.RunTo(90 * Second);
                return (rig, (c, t) => c.Commit(Program(), false, t), 150 * Second);
            case "BOLUS adds its rate":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => c.StartClinicianBolus(600, 60, t), null);   // +10 steps/min
            case "BOLUS:CANCEL removes it":
                rig.RunTo(30 * Second);
                rig.Ok(rig.C.StartClinicianBolus(600, 60, rig.Now));
                rig.RunTo(50 * Second);
                return (rig, (c, t) => c.CancelBolus(t), null);
            case "PTM adds its rate":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => c.RequestPatientBolus(t), null);
            case "PRIME at the motor maximum":
                rig.Ok(rig.Do((c, t) => c.Stop(t)));
                rig.Ok(rig.Do((c, t) => c.Stop(t)));            // STOPPED
                rig.RunTo(Minute);
                return (rig, (c, t) => c.Prime(100, t), Minute + 1_000);   // 1000 steps/s: the first in 1 ms
            case "REFILL after EMPTY resumes the minimum rate":
                rig.Ok(rig.Do((c, t) => c.Refill(3, t)));       // three steps left
                rig.RunTo(10 * Minute);
                Assert.Equal(TherapyState.Alarm, rig.C.State);
                return (rig, (c, t) => c.Refill(1_000, t), null);
            case "CAL doubles the steps":
                rig.RunTo(20 * Second);                         // a third of a step accrued, two thirds after
                return (rig, (c, t) => c.SetCalibration(2_000_000, t), null);
            case "TIME moves into the 06:00 step":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => c.SetWallClock(6 * 3600, t), null);  // 06:00:00 UTC, 1970-01-01
            case "ALARM:ACK of a stall whose cause is gone":
                rig.C.SetInputs(true, false, false, 0);
                rig.C.SetInputs(false, false, false, 0);
                rig.RunTo(Minute);
                Assert.Equal(TherapyState.Alarm, rig.C.State);
                return (rig, (c, t) => c.AcknowledgeAlarm(AlarmCode.Stall, t), null);
            case "INPUTS raise OCCLUSION":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => { c.SetInputs(false, true, false, t); return TherapyResult.Ok; }, long.MaxValue);
            case "CRITICAL stops delivery":
                rig.RunTo(30 * Second);
                return (rig, (c, t) => { c.RaiseCritical(t); return TherapyResult.Ok; }, long.MaxValue);
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void After_a_command_the_next_wake_is_already_up_to_date(string name)
    {
        // The wake-up a command leaves must be the one a fresh Advance at the same instant computes,
        // and must differ from the one before the command (else the scenario would show nothing).
        var (rig, command, expected) = Scenario(name);
        long before = rig.C.NextWakeMicros;
        rig.Ok(command(rig.C, rig.Now));
        long afterCommand = rig.C.NextWakeMicros;
        Assert.NotEqual(before, afterCommand);
        Assert.Equal(0, rig.C.Advance(rig.Now));
        Assert.Equal(rig.C.NextWakeMicros, afterCommand);
        if (expected is { } wake) Assert.Equal(wake, afterCommand);
    }
}
