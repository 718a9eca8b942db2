using PumpFirmware.Dosing;
using PumpFirmware.Storage;
using PumpFirmware.Therapy;
using static PumpFirmware.Core.Tests.Rig;

namespace PumpFirmware.Core.Tests;

/// <summary>
/// The saved therapy state (PROTOCOL.md "Power and reset": everything survives a reset, and a
/// stored state that fails its checks is refused). The image is decoded here into its fields,
/// in the order <see cref="TherapyController.Save"/> writes them; one field at a time is then
/// made inconsistent, and Load must refuse it and leave the controller as it was.
/// </summary>
public class TherapyStateImageTests
{
    /// <summary>The fields of a saved image, in layout order (ptm history and window kept as raw bytes).</summary>
    internal sealed class Image
    {
        public int Version, State, Before, Bolus;
        public bool HasProgram;
        public Prescription Program = new(), OldProgram = new();
        public long BridgeRemaining, StepsPerMl;
        public int Alarms, Acked;
        public bool Stall, Occlusion, LowBattery;
        public long LastHeld, HeldInEpisode, HeldTotal, TotalSteps, Delivered, Remainder, Reservoir;
        public bool WallSet;
        public long WallOffset, LastNow;
        public byte[] Tail = Array.Empty<byte>();

        /// <summary>The image <paramref name="c"/> saves now, decoded.</summary>
        public static Image Of(TherapyController c) => Decode(Save(c));

        public static Image Decode(byte[] bytes)
        {
            var r = new StateReader(bytes, 0, bytes.Length);
            var i = new Image
            {
                Version = r.ReadByte(), State = r.ReadByte(), Before = r.ReadByte(), Bolus = r.ReadByte(), HasProgram = r.ReadBool(),
            };
            Assert.True(i.Program.Load(r));
            Assert.True(i.OldProgram.Load(r));
            i.BridgeRemaining = r.ReadLong();
            i.StepsPerMl = r.ReadLong();
            i.Alarms = r.ReadInt();
            i.Acked = r.ReadInt();
            i.Stall = r.ReadBool();
            i.Occlusion = r.ReadBool();
            i.LowBattery = r.ReadBool();
            i.LastHeld = r.ReadLong();
            i.HeldInEpisode = r.ReadLong();
            i.HeldTotal = r.ReadLong();
            i.TotalSteps = r.ReadLong();
            i.Delivered = r.ReadLong();
            i.Remainder = r.ReadLong();
            i.Reservoir = r.ReadLong();
            i.WallSet = r.ReadBool();
            i.WallOffset = r.ReadLong();
            i.LastNow = r.ReadLong();
            Assert.False(r.Failed);
            i.Tail = bytes[r.Position..];
            return i;
        }

        public byte[] Encode()
        {
            var w = new StateWriter(new byte[32 * 1024]);
            w.WriteByte(Version); w.WriteByte(State); w.WriteByte(Before); w.WriteByte(Bolus); w.WriteBool(HasProgram);
            Program.Save(w);
            OldProgram.Save(w);
            w.WriteLong(BridgeRemaining); w.WriteLong(StepsPerMl);
            w.WriteInt(Alarms); w.WriteInt(Acked);
            w.WriteBool(Stall); w.WriteBool(Occlusion); w.WriteBool(LowBattery);
            w.WriteLong(LastHeld); w.WriteLong(HeldInEpisode); w.WriteLong(HeldTotal); w.WriteLong(TotalSteps);
            w.WriteLong(Delivered); w.WriteLong(Remainder); w.WriteLong(Reservoir);
            w.WriteBool(WallSet); w.WriteLong(WallOffset); w.WriteLong(LastNow);
            Assert.False(w.Overflow);
            return w.Buffer[..w.Position].Concat(Tail).ToArray();
        }
    }

    internal static byte[] Save(TherapyController c)
    {
        var w = new StateWriter(new byte[32 * 1024]);
        c.Save(w);
        Assert.False(w.Overflow);
        return w.Buffer[..w.Position];
    }

    /// <summary>A pump mid-bridge: running, 2 days of delivery, a program change of concentration,
    /// a wall clock, a calibration that leaves a sub-nL remainder, a raised LOW_BATTERY.</summary>
    private static Rig BridgingPump()
    {
        var rig = new Rig();
        rig.Ok(rig.C.SetCalibration(48_007, 0));   // prime: nearly every step count leaves a remainder
        rig.Ok(rig.C.SetWallClock(1_750_000_000, 0));
        var first = Program("first", 1_000_000, 2_000_000, (0, 500_000), (720, 800_000));
        Check(first.SetCatheter(150_000));
        Check(first.SetPtm(20_000, 10, 60, 4));
        rig.Begin(first);
        rig.RunFor(2 * Day + 3 * Hour);
        rig.Ok(rig.Do((c, t) => c.RequestPatientBolus(t)));
        rig.RunFor(Hour);
        var second = Program("second", 2_000_000, 2_000_000, (0, 900_000));
        Check(second.SetCatheter(150_000));
        rig.Ok(rig.Do((c, t) => c.Commit(second, true, t)));
        rig.RunFor(10 * Minute);
        rig.C.SetInputs(false, false, true, rig.Now);
        rig.Drain();
        Assert.Equal(BolusKind.Bridge, rig.C.ActiveBolus);
        Assert.Equal(AlarmCode.LowBattery, rig.C.Alarms);
        return rig;
    }

    [Fact]
    public void The_decoded_layout_is_the_one_Save_writes()
    {
        byte[] saved = Save(BridgingPump().C);
        var image = Image.Decode(saved);
        Assert.Equal(TherapyController.StateVersion, image.Version);
        Assert.Equal((int)TherapyState.Running, image.State);
        Assert.Equal((int)BolusKind.Bridge, image.Bolus);
        Assert.Equal("second", image.Program.DrugName);
        Assert.Equal("first", image.OldProgram.DrugName);
        Assert.Equal(48_007, image.StepsPerMl);
        Assert.True(image.Remainder > 0, "the calibration should leave a sub-nL remainder");
        Assert.Equal(saved, image.Encode());
    }

    [Fact]
    public void A_loaded_pump_saves_the_same_image_and_answers_the_same()
    {
        var rig = BridgingPump();
        byte[] saved = Save(rig.C);
        var loaded = new TherapyController(1000);
        Assert.True(loaded.Load(new StateReader(saved, 0, saved.Length)));
        Assert.Equal(saved, Save(loaded));
        Assert.Equal(rig.C.State, loaded.State);
        Assert.Equal(rig.C.ActiveBolus, loaded.ActiveBolus);
        Assert.Equal(rig.C.BridgeRemainingNl, loaded.BridgeRemainingNl);
        Assert.Equal(rig.C.DeliveredNl, loaded.DeliveredNl);
        Assert.Equal(rig.C.TotalSteps, loaded.TotalSteps);
        Assert.Equal(rig.C.ReservoirNl, loaded.ReservoirNl);
        Assert.Equal(rig.C.ProgramCrc, loaded.ProgramCrc);
        Assert.Equal(rig.C.Alarms, loaded.Alarms);
        Assert.Equal(rig.C.StepsPerMl, loaded.StepsPerMl);
        Assert.Equal(rig.C.WindowNg(rig.Now), loaded.WindowNg(rig.Now));
        Assert.Equal(rig.C.PtmGrantedInDay(rig.Now), loaded.PtmGrantedInDay(rig.Now));
        Assert.Equal(rig.C.UnixSeconds(rig.Now), loaded.UnixSeconds(rig.Now));
        Assert.Equal(rig.C.RateNlPerDay, loaded.RateNlPerDay);
        Assert.Equal(rig.C.RateNgPerDay, loaded.RateNgPerDay);
    }

    public static TheoryData<string> Corruptions => new()
    {
        "version 2", "state 4", "before 4", "bolus 5", "steps/mL 0", "steps/mL 10^7 + 1", "remainder -1",
        "remainder = steps/mL", "unknown alarm bit", "acknowledged but not active", "total steps -1", "delivered -1",
        "reservoir -1", "held in episode -1", "held total -1", "program flag without a complete program",
        "running without a program", "suspended without a program", "bolus without a program", "bridge without old program",
        "bridge with nothing left", "ALARM without a stopping alarm", "stopping alarm outside ALARM", "truncated",
        "before RUNNING", "before ALARM", "bridge volume without a bridge", "wall offset without a wall clock",
    };

    private static void Corrupt(Image i, string what)
    {
        switch (what)
        {
            case "version 2": i.Version = 2; break;
            case "state 4": i.State = 4; break;
            case "before 4": i.Before = 4; break;
            case "bolus 5": i.Bolus = 5; break;
            case "steps/mL 0": i.StepsPerMl = 0; i.Remainder = 0; break;
            case "steps/mL 10^7 + 1": i.StepsPerMl = TherapyController.MaxStepsPerMl + 1; break;
            case "remainder -1": i.Remainder = -1; break;
            case "remainder = steps/mL": i.Remainder = i.StepsPerMl; break;
            case "unknown alarm bit": i.Alarms |= AlarmCode.AllMask + 1; break; // after EOS, the last of the table
            case "acknowledged but not active": i.Acked = AlarmCode.LowReservoir; break;
            case "total steps -1": i.TotalSteps = -1; break;
            case "delivered -1": i.Delivered = -1; break;
            case "reservoir -1": i.Reservoir = -1; break;
            case "held in episode -1": i.HeldInEpisode = -1; break;
            case "held total -1": i.HeldTotal = -1; break;
            case "program flag without a complete program": i.Program.ClearSteps(); break;
            case "running without a program": i.HasProgram = false; i.Bolus = 0; break;
            case "suspended without a program": i.HasProgram = false; i.Bolus = 0; i.State = (int)TherapyState.Suspended; break;
            case "bolus without a program": i.HasProgram = false; i.State = (int)TherapyState.Stopped; break;
            case "bridge without old program": i.OldProgram.Clear(); break;
            case "bridge with nothing left": i.BridgeRemaining = 0; break;
            case "ALARM without a stopping alarm": i.State = (int)TherapyState.Alarm; break;
            case "stopping alarm outside ALARM": i.Alarms |= AlarmCode.Occlusion; break;
            case "truncated": i.Tail = i.Tail[..^1]; break;
            case "before RUNNING": i.Before = (int)TherapyState.Running; break;
            case "before ALARM": i.Before = (int)TherapyState.Alarm; break;
            case "bridge volume without a bridge": i.Bolus = (int)BolusKind.None; break;
            case "wall offset without a wall clock": i.WallSet = false; break;
            default: throw new ArgumentException(what);
        }
    }

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void An_inconsistent_image_is_refused_and_changes_nothing(string corruption)
    {
        var image = Image.Of(BridgingPump().C);
        Corrupt(image, corruption);
        byte[] bad = image.Encode();

        // The target is a pump with a life of its own: a refused load must leave all of it.
        var target = new Rig();
        target.Begin(Program("own", 500_000, 1_000_000, (0, 400_000)));
        target.RunFor(5 * Hour);
        byte[] before = Save(target.C);

        var reader = new StateReader(bad, 0, bad.Length);
        Assert.False(target.C.Load(reader));
        Assert.True(reader.Failed);
        Assert.Equal(before, Save(target.C));
    }

    [Fact]
    public void The_corruption_table_changes_one_thing_each_from_an_image_that_loads()
    {
        // Guards the table above: each corruption is applied to an image that is itself accepted,
        // and the STOPPED, program-less variants are accepted when made consistent.
        var image = Image.Of(BridgingPump().C);
        Assert.True(new TherapyController(1000).Load(new StateReader(image.Encode(), 0, image.Encode().Length)));

        var fresh = Image.Of(new TherapyController(1000));
        Assert.False(fresh.HasProgram);
        byte[] freshBytes = fresh.Encode();
        Assert.True(new TherapyController(1000).Load(new StateReader(freshBytes, 0, freshBytes.Length)));

        // A stopping alarm in ALARM is consistent: EMPTY with the state ALARM loads.
        image.Alarms |= AlarmCode.Empty;
        image.State = (int)TherapyState.Alarm;
        image.Before = (int)TherapyState.Suspended;
        byte[] alarmBytes = image.Encode();
        var alarmed = new TherapyController(1000);
        Assert.True(alarmed.Load(new StateReader(alarmBytes, 0, alarmBytes.Length)));
        Assert.Equal(TherapyState.Alarm, alarmed.State);
    }

    [Fact]
    public void Loading_replaces_the_ptm_history_and_the_window_of_the_target()
    {
        var source = BridgingPump();                    // one PTM granted, about 2 days of delivery
        byte[] saved = Save(source.C);

        var target = new Rig();
        target.Ok(target.C.SetCalibration(1_000_000, 0));
        var p = Program("own", 1_000_000, 1_000_000, (0, 1440));
        Check(p.SetPtm(1, 1, 0, 10));
        target.Begin(p, 1_000_000);
        target.RunTo(source.Now - 3 * Minute);
        for (int i = 0; i < 3; i++)
        {
            target.Ok(target.Do((c, t) => c.RequestPatientBolus(t)));
            target.RunFor(Minute);
        }
        Assert.Equal(3, target.C.PtmGrantedInDay(source.Now));

        Assert.True(target.C.Load(new StateReader(saved, 0, saved.Length)));
        Assert.Equal(source.C.PtmGrantedInDay(source.Now), target.C.PtmGrantedInDay(source.Now));
        Assert.Equal(1, target.C.PtmGrantedInDay(source.Now));
        Assert.Equal(source.C.WindowNg(source.Now), target.C.WindowNg(source.Now));
    }
}
