// Before a long log starts, ask the balance once: a balance that does not answer (wrong port,
// baud rate or cable, switched off) must fail the command at the start, not leave hours of
// empty mass cells to be found at the end.
using PumpCtl.Serial;

namespace PumpCtl.Balance;

/// <summary>Checks that a balance answers <c>SI</c> with a mass.</summary>
public static class BalanceProbe
{
    /// <summary>Opens <paramref name="portName"/>, sends <c>SI</c> and parses the reply.</summary>
    /// <returns>null when the balance gave a mass; else why not, for the user.</returns>
    public static string? Check(ISerialLineOpener opener, string portName, TimeSpan timeout)
    {
        try
        {
            using ISerialLine line = opener.Open(portName);
            line.WriteLine("SI");
            string? reply = line.ReadLine(timeout);
            if (reply == null)
            {
                return $"the balance on {portName} did not answer SI within {timeout.TotalSeconds:0.#} s; check that it is on, its cable, " +
                    "its baud rate (--balance-baud) and that it speaks MT-SICS";
            }
            MtSicsReading reading = MtSicsParser.Parse(reply);
            return reading.HasValue ? null : $"the balance on {portName} gave no mass: {reading.Error}";
        }
        catch (IOException e)
        {
            return $"the balance on {portName} cannot be opened or written: {e.Message}";
        }
    }
}
