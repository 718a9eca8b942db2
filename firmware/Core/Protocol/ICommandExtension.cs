// The virtual device adds SIM:ADVANCE, SIM:POWERCYCLE and SIM:FAULT, which the ESP32 firmware
// must answer with ERR 400. Rather than compiling two processors, the one processor offers a
// hook for commands it does not know; only the virtual device registers one.
namespace PumpFirmware.Protocol
{
    /// <summary>Extra commands (the virtual device's SIM:*), tried after the CRC check and before
    /// the processor answers <c>ERR 400 unknown command</c>.</summary>
    public interface ICommandExtension
    {
        /// <summary>Handles <paramref name="request"/> if it is one of the extension's commands.
        /// Do all the work first (it may emit `!` lines, e.g. while advancing time), then send
        /// exactly one status line through <paramref name="reply"/>.</summary>
        /// <param name="request">The request's words; word 0 is the command, case-insensitive.</param>
        /// <param name="reply">Sends the status line (with a CRC when the request carried one).</param>
        /// <returns>false when the command is not the extension's (nothing may have been sent).</returns>
        bool TryHandle(RequestLine request, StatusReply reply);
    }
}
