// `pumpctl ports`: the serial ports this machine has, so a user can find the pump's.
using System.CommandLine;
using System.IO.Ports;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl ports</c>.</summary>
public static class PortsCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("ports", "List the serial ports of this machine (the pump is usually /dev/ttyUSB* or /dev/ttyACM*).");
        command.SetAction(_ =>
        {
            string[] names = SerialPort.GetPortNames().Order(StringComparer.Ordinal).ToArray();
            foreach (string name in names)
            {
                Console.WriteLine(name);
            }
            if (names.Length == 0)
            {
                Console.Error.WriteLine("no serial ports found");
            }
            Console.Error.WriteLine("The virtual device's pseudo-terminal is printed by 'pumpctl sim --pty' (first line: PTY <path>).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
