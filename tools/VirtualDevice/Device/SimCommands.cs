// The virtual device's extra commands (PROTOCOL.md "Virtual device"), plugged into the one
// command processor through its extension hook, so the ESP32 firmware (which registers no
// extension) answers them ERR 400 like any unknown word.
using PumpFirmware.Protocol;

namespace PumpFirmware.VirtualDevice.Device;

/// <summary>SIM:ADVANCE, SIM:POWERCYCLE and SIM:FAULT.</summary>
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
        _pump.Advance(thousandths * 1000);
        reply.Ok();
        reply.Line.AppendField("t_ms", _pump.App.UptimeMs);
        reply.Send();
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
            reply.SendError(400, "usage: SIM:FAULT STALL|OCCLUSION|LOW_BATTERY|NONE");
            return;
        }
        if (!_pump.SetFault(request.WordString(1)))
        {
            reply.SendError(400, "unknown fault (STALL|OCCLUSION|LOW_BATTERY|NONE)");
            return;
        }
        reply.SendOk();
    }

    private static string Fixed(long thousandths) =>
        (thousandths / 1000) + "." + (thousandths % 1000).ToString("000");
}
