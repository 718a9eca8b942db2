// The virtual device's extra commands (PROTOCOL.md "Virtual device"), plugged into the one
// command processor through its extension hook, so the ESP32 firmware (which registers no
// extension) answers them ERR 400 like any unknown word.
using PumpFirmware.Protocol;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>SIM:ADVANCE, SIM:POWERCYCLE, SIM:FAULT and the one-shot faults SIM:CUT, SIM:TEAR,
/// SIM:WRITEFAIL, SIM:FLIP and SIM:RTC (docs/VIRTUAL-DEVICE.md says what each models).</summary>
public sealed class SimCommands : ICommandExtension
{
    private readonly VirtualPump _pump;

    /// <summary>Serves <paramref name="pump"/>.</summary>
    public SimCommands(VirtualPump pump) => _pump = pump;

    /// <inheritdoc/>
    public bool TryHandle(RequestLine request, StatusReply reply)
    {
        if (request.Is(0, "SIM:ADVANCE")) Advance(request, reply);
        else if (request.Is(0, "SIM:POWERCYCLE")) PowerCycle(request, reply);
        else if (request.Is(0, "SIM:FAULT")) Fault(request, reply);
        else if (request.Is(0, "SIM:CUT")) Cut(request, reply, torn: false);
        else if (request.Is(0, "SIM:TEAR")) Cut(request, reply, torn: true);
        else if (request.Is(0, "SIM:WRITEFAIL")) WriteFail(request, reply);
        else if (request.Is(0, "SIM:FLIP")) Flip(request, reply);
        else if (request.Is(0, "SIM:RTC")) Rtc(request, reply);
        else if (request.Is(0, "SIM:BATTERY")) BatteryCommand(request, reply);
        else return false;
        return true;
    }

    private void Advance(RequestLine request, StatusReply reply)
    {
        if (request.ArgumentCount != 1)
        {
            reply.SendError(400, "usage: SIM:ADVANCE <seconds>");
            return;
        }
        if (!request.TryNumberThousandths(1, out long thousandths))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (thousandths > VirtualPump.MaxAdvanceSeconds * 1000)
        {
            reply.SendError(422, "seconds exceeds limit (" + Fixed(thousandths) + " > " + VirtualPump.MaxAdvanceSeconds + ")");
            return;
        }
        // A storage cut during the advance reboots the pump; the advance is the simulator's, so its
        // OK still comes (after the !BOOT), from the instance that took the request.
        PowerDomain before = _pump.Domain;
        _pump.KeepSerialOnCut = true;
        try
        {
            _pump.Advance(thousandths * 1000);
        }
        finally
        {
            _pump.KeepSerialOnCut = false;
        }
        reply.Ok();
        reply.Line.AppendField("t_ms", _pump.App.UptimeMs);
        reply.Send();
        if (_pump.Domain != before) before.CloseSerial();
    }

    private void PowerCycle(RequestLine request, StatusReply reply)
    {
        long thousandths = 0;
        if (request.ArgumentCount > 1)
        {
            reply.SendError(400, "usage: SIM:POWERCYCLE [<off_s>]");
            return;
        }
        if (request.ArgumentCount == 1 && !request.TryNumberThousandths(1, out thousandths))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (thousandths > VirtualPump.MaxAdvanceSeconds * 1000)
        {
            reply.SendError(422, "off_s exceeds limit (" + Fixed(thousandths) + " > " + VirtualPump.MaxAdvanceSeconds + ")");
            return;
        }
        // The dying instance is the one running this request: it keeps its serial line just long
        // enough to send the OK after the new instance's !BOOT, then goes silent.
        PowerDomain old = _pump.PowerCycle(thousandths * 1000, keepOldSerial: true);
        reply.SendOk();
        old.CloseSerial();
    }

    private void Fault(RequestLine request, StatusReply reply)
    {
        if (request.ArgumentCount != 1)
        {
            reply.SendError(400, "usage: SIM:FAULT STALL|OCCLUSION|LOW_BATTERY|PRESSURE_SENSOR|NONE");
            return;
        }
        if (!_pump.SetFault(request.WordString(1)))
        {
            reply.SendError(400, "unknown fault (STALL|OCCLUSION|LOW_BATTERY|NONE; PRESSURE_SENSOR with --plant pressure)");
            return;
        }
        reply.SendOk();
    }

    // SIM:CUT <n> [<off_s>] and SIM:TEAR <n> <keep_bytes> [<off_s>]: a power cut at the n-th
    // storage write from now (1 = the next), keeping none or the first keep_bytes of it.
    private void Cut(RequestLine request, StatusReply reply, bool torn)
    {
        int fixedArgs = torn ? 2 : 1;
        string usage = torn ? "usage: SIM:TEAR <n> <keep_bytes> [<off_s>]" : "usage: SIM:CUT <n> [<off_s>]";
        if (request.ArgumentCount < fixedArgs || request.ArgumentCount > fixedArgs + 1)
        {
            reply.SendError(400, usage);
            return;
        }
        long keep = 0;
        long off = 0;
        if (!request.TryCount(1, out long n) || (torn && !request.TryCount(2, out keep))
            || (request.ArgumentCount == fixedArgs + 1 && !request.TryNumberThousandths(fixedArgs + 1, out off)))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (n < 1 || n > 1_000_000)
        {
            reply.SendError(422, "n out of range (" + n + ", 1 to 1000000)");
            return;
        }
        if (keep > 1_000_000)
        {
            reply.SendError(422, "keep_bytes exceeds limit (" + keep + " > 1000000)");
            return;
        }
        if (off > VirtualPump.MaxAdvanceSeconds * 1000)
        {
            reply.SendError(422, "off_s exceeds limit (" + Fixed(off) + " > " + VirtualPump.MaxAdvanceSeconds + ")");
            return;
        }
        _pump.ArmStorageCut(n, (int)keep, off * 1000);
        reply.Ok();
        reply.Line.AppendField("at_write", _pump.Store.WriteCount + n - 1);
        reply.Send();
    }

    // SIM:WRITEFAIL [<n>]: the n-th storage write from now (1 = the next, the default) fails with
    // the power on; the store reports the error and keeps what it held.
    private void WriteFail(RequestLine request, StatusReply reply)
    {
        if (request.ArgumentCount > 1)
        {
            reply.SendError(400, "usage: SIM:WRITEFAIL [<n>]");
            return;
        }
        long n = 1;
        if (request.ArgumentCount == 1 && !request.TryCount(1, out n))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (n < 1 || n > 1_000_000)
        {
            reply.SendError(422, "n out of range (" + n + ", 1 to 1000000)");
            return;
        }
        _pump.Store.ArmWriteFailure(_pump.Store.WriteCount + n - 1);
        reply.Ok();
        reply.Line.AppendField("at_write", _pump.Store.WriteCount + n - 1);
        reply.Send();
    }

    // SIM:FLIP A|B|JOURNAL <byte> <bit>: corrupts one bit of a stored copy now.
    private void Flip(RequestLine request, StatusReply reply)
    {
        if (request.ArgumentCount != 3)
        {
            reply.SendError(400, "usage: SIM:FLIP A|B|JOURNAL <byte> <bit>");
            return;
        }
        int file = request.Is(1, "A") ? 1 : request.Is(1, "B") ? 2 : request.Is(1, "JOURNAL") ? 3 : 0;
        if (file == 0)
        {
            reply.SendError(400, "unknown copy (A|B|JOURNAL)");
            return;
        }
        if (!request.TryCount(2, out long offset) || !request.TryCount(3, out long bit))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (bit > 7)
        {
            reply.SendError(422, "bit out of range (" + bit + ", 0 to 7)");
            return;
        }
        byte[]? data = _pump.Store.Load(file);
        if (data == null || offset >= data.Length)
        {
            reply.SendError(422, "byte beyond the file (" + offset + " >= " + (data == null ? 0 : data.Length) + ")");
            return;
        }
        _pump.FlipStoredBit(file, (int)offset, (int)bit);
        reply.Ok();
        reply.Line.AppendField("length", data.Length);
        reply.Send();
    }

    // SIM:RTC JUMP <[-]s> | STUCK | LOST | OK: the battery-backed off-time counter's faults.
    private void Rtc(RequestLine request, StatusReply reply)
    {
        const string usage = "usage: SIM:RTC JUMP <[-]seconds>|STUCK|LOST|OK";
        var clock = _pump.OffTimeClock;
        if (request.ArgumentCount == 2 && request.Is(1, "JUMP"))
        {
            string word = request.WordString(2);
            bool back = word.StartsWith('-');
            string digits = back ? word[1..] : word;
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
            {
                reply.SendError(400, "malformed number");
                return;
            }
            if (!long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
                || seconds > VirtualPump.MaxAdvanceSeconds)
            {
                reply.SendError(422, "seconds exceeds limit (" + digits + " > " + VirtualPump.MaxAdvanceSeconds + ")");
                return;
            }
            // The counter shows its value plus the jump from now on (a stuck one stays stuck there).
            long shown = Math.Max(0, clock.CounterMicros + (back ? -seconds : seconds) * 1_000_000);
            bool stuck = clock.Stuck;
            clock.Stuck = false;
            clock.BaseMicros = shown - _pump.Clock.WorldMicros;
            clock.Stuck = stuck;
        }
        else if (request.ArgumentCount == 1 && request.Is(1, "STUCK")) clock.Stuck = true;
        else if (request.ArgumentCount == 1 && request.Is(1, "LOST")) clock.Trusted = false;
        else if (request.ArgumentCount == 1 && request.Is(1, "OK"))
        {
            // A good counter again, running from the value it shows (a repair does not undo a jump).
            long shown = clock.CounterMicros;
            clock.Stuck = false;
            clock.BaseMicros = shown - _pump.Clock.WorldMicros;
            clock.Trusted = true;
        }
        else
        {
            reply.SendError(400, usage);
            return;
        }
        reply.SendOk();
    }

    // SIM:BATTERY [NEW | USED <mah> | ADC FAIL|OK]: the simulated cell (the truth the firmware's gauge estimates).
    private void BatteryCommand(RequestLine request, StatusReply reply)
    {
        const string usage = "usage: SIM:BATTERY [NEW|USED <mah>|ADC FAIL|OK]";
        var cell = _pump.Battery;
        if (request.ArgumentCount == 0)
        {
            reply.Ok();
            reply.Line.AppendField("fitted", cell == null ? "NO" : "YES");
            if (cell != null)
            {
                reply.Line.AppendFixed3Field("capacity_mah", cell.CapacityNanocoulombs / 3_600_000);
                reply.Line.AppendFixed3Field("used_mah", cell.ConsumedNanocoulombs / 3_600_000);
                reply.Line.AppendFixed3Field("remaining_mah", cell.RemainingNanocoulombs / 3_600_000);
                reply.Line.AppendField("voltage_mv", cell.TerminalMillivolts);
                reply.Line.AppendField("adc", cell.AdcFails ? "FAIL" : "OK");
            }
            reply.Send();
            return;
        }
        bool isNew = request.ArgumentCount == 1 && request.Is(1, "NEW");
        bool isUsed = request.ArgumentCount == 2 && request.Is(1, "USED");
        bool isAdc = request.ArgumentCount == 2 && request.Is(1, "ADC") && (request.Is(2, "FAIL") || request.Is(2, "OK"));
        if (!isNew && !isUsed && !isAdc)
        {
            reply.SendError(400, usage);
            return;
        }
        long usedThousandths = 0;
        if (isUsed && !request.TryNumberThousandths(2, out usedThousandths))
        {
            reply.SendError(400, "malformed number");
            return;
        }
        if (cell == null)
        {
            reply.SendError(409, "no battery (mains powered; the plant option battery_mah fits one)");
            return;
        }
        if (isUsed && usedThousandths * 3_600_000 > cell.CapacityNanocoulombs)
        {
            reply.SendError(422, "used_mah exceeds capacity_mah (" + Fixed(usedThousandths) + " > " + Fixed(cell.CapacityNanocoulombs / 3600) + ")");
            return;
        }
        if (isNew) cell.Fit();
        else if (isUsed) cell.SetConsumed(usedThousandths * 3_600_000);
        else cell.AdcFails = request.Is(2, "FAIL");
        reply.SendOk();
    }

    private static string Fixed(long thousandths) =>
        (thousandths / 1000) + "." + (thousandths % 1000).ToString("000");
}
