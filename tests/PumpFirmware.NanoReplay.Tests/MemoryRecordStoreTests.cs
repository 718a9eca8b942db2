using PumpFirmware.Hal;
using PumpFirmware.Replay;
using PumpFirmware.Storage;
using Xunit;

namespace PumpFirmware.NanoReplay.Tests;

/// <summary>
/// The replay's memory store stands for littlefs wherever the firmware runs on the replay's fakes (the replay,
/// the nanoCLR bench, the device tests): it must hold every file the persistence uses, the event log's segment
/// files (ids 4 to 23) included, or a long enough log makes a commit throw and the pump go CRITICAL.
/// </summary>
public class MemoryRecordStoreTests
{
    private sealed class LastLine : IReplayOutput
    {
        public string Text = "";
        public void Line(string text) => Text = text;
    }

    private static byte[] Body(PumpFirmware.Log.EventLog log, long seq)
    {
        var bytes = new byte[64];
        var writer = new StateWriter(bytes);
        log.WriteRecordBody(seq, writer);
        return bytes[..writer.Position];
    }

    [Fact]
    public void A_log_that_wraps_round_every_segment_slot_is_committed_and_restored_whole()
    {
        var store = new MemoryRecordStore();
        var device = new ReplayDevice(ReplayDevice.FactoryOffClockSeconds, store);
        device.Boot(ResetCause.Power);
        var output = new LastLine();
        long first = device.App.Log.NextSeq;
        // Each refused and each accepted AUTH is a log record: enough for the 1,024-record log to wrap round twice,
        // so its segments are written into every slot of the pool.
        int i = 0;
        while (device.App.Log.NextSeq - first < 3 * 1024)
        {
            device.Send(i++ % 2 == 0 ? "AUTH 0000" : "AUTH 9999");
            device.Link.TakeLines(output, "");
            Assert.DoesNotContain("storage", output.Text);
        }

        int highest = 0;
        for (int id = PumpPersistence.FirstLogFileId; id < PumpPersistence.FirstLogFileId + device.Persistence.Durable.Segments.SlotCount; id++)
        {
            if (store.Length(id) >= 0) highest = id;
        }
        Assert.True(highest >= PumpPersistence.FirstLogFileId + 10, "segments only in files up to " + highest);

        device.Send("STATUS?");
        device.Link.TakeLines(output, "");
        Assert.DoesNotContain("CRITICAL", output.Text);

        // After a power cut every record the log kept is back, byte for byte (the boot then adds its own after them).
        ReplayDevice restored = device.PowerCut(10);
        var log = device.App.Log;
        Assert.True(restored.App.Log.NextSeq > log.NextSeq);
        for (long seq = restored.App.Log.OldestSeq; seq < log.NextSeq; seq++)
        {
            Assert.True(log.Contains(seq), "record " + seq + " was not in the log");
            Assert.Equal(Body(log, seq), Body(restored.App.Log, seq));
        }
        restored.Send("STATUS?");
        restored.Link.TakeLines(output, "");
        Assert.DoesNotContain("CRITICAL", output.Text);
    }
}
