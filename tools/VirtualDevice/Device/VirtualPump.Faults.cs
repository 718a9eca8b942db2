// The one-shot faults of the virtual device (SIM:CUT, SIM:TEAR, SIM:FLIP, SIM:RTC; scenario
// actions cut, tear, flip, rtc). A power cut armed at a storage write happens inside the firmware,
// in the middle of whatever made it write (a request, a step, a boot): the power domain dies at
// once, so the dying instance can neither finish the write nor send another byte (a request's
// reply is lost, as on a real pump), and the power comes back when that firmware pass has
// returned to the host, which then boots a new instance (!BOOT).
using PumpFirmware.Hal;

namespace PumpFirmware.VirtualDevice.Device;

public sealed partial class VirtualPump
{
    private long _armedOffMicros;
    private bool _cutPending;
    private long _cutOffMicros;
    private long _countedAtCut;

    /// <summary>Power cuts that storage writes triggered so far.</summary>
    public int StorageCuts { get; private set; }

    /// <summary>While true, a storage cut lets the dying instance send one more line (the reply
    /// of SIM:ADVANCE, which is the simulator's, not the pump's); the caller closes it.</summary>
    internal bool KeepSerialOnCut { get; set; }

    /// <summary>Arms a power cut at storage write number <paramref name="nthWrite"/> from now
    /// (1 = the next Write, Append or Delete): only its first <paramref name="keepBytes"/> bytes
    /// land (0: none; more than the write: all of it, then the cut), the power goes, and comes
    /// back <paramref name="offMicros"/> later. Replaces a cut armed before.</summary>
    public void ArmStorageCut(long nthWrite, int keepBytes, long offMicros)
    {
        if (nthWrite < 1) throw new ArgumentOutOfRangeException(nameof(nthWrite));
        Store.ArmPowerCut(Store.WriteCount + nthWrite - 1, keepBytes);
        _armedOffMicros = offMicros;
    }

    /// <summary>Flips bit <paramref name="bit"/> of byte <paramref name="byteOffset"/> of a stored file
    /// (1 = snapshot copy A, 2 = copy B, 3 = journal) now; the firmware sees it at its next boot.</summary>
    /// <returns>The file's length; -1 when it does not exist. Nothing changes when the offset is not inside it.</returns>
    public int FlipStoredBit(int fileId, int byteOffset, int bit)
    {
        byte[]? data = Store.Load(fileId);
        if (data == null) return -1;
        if (byteOffset < data.Length) Store.FlipBit(fileId, byteOffset, bit);
        return data.Length;
    }

    private void OnStorePowerCut()
    {
        _countedAtCut = App.Controller.TotalSteps;
        Domain.PowerOff(KeepSerialOnCut);
        _cutPending = true;
        _cutOffMicros = _armedOffMicros;
        StorageCuts++;
    }

    /// <summary>After a firmware pass: when a storage write cut the power during it, finishes the
    /// power cycle (the rest of the hardware loses power, the off-time passes, the store works
    /// again, a new instance boots).</summary>
    /// <returns>True when it rebooted.</returns>
    private bool CompletePendingCut()
    {
        if (!_cutPending) return false;
        _cutPending = false;
        Steps.PowerLoss();
        Driver.PowerLoss();
        Buzzer.PowerLoss();
        Clock.Advance(_cutOffMicros);
        Battery?.PoweredOff(_cutOffMicros);
        PowerCycles++;
        Store.PowerOn();
        PowerOn(ResetCause.Power);
        StepsLostAtPowerLoss += _countedAtCut - App.Controller.TotalSteps;
        return true;
    }
}
