// Options shared by the commands that talk to a pump, defined once so their names, help and
// validation agree everywhere.
using System.CommandLine;

namespace PumpCtl.Cli;

/// <summary>Factories for shared options.</summary>
public static class CommonOptions
{
    /// <summary><c>--port</c>, required.</summary>
    public static Option<string> Port()
    {
        Option<string> option = OptionValues.Text("--port", "The pump's serial port, e.g. /dev/ttyUSB0 or the virtual device's /dev/pts/N",
            "path", required: true, "a serial port's path, e.g. /dev/ttyUSB0", "-p");
        option.CompletionSources.Add(_ => PortNames.Candidates().Select(n => new System.CommandLine.Completions.CompletionItem(n)));
        return option;
    }

    /// <summary><c>--crc</c>.</summary>
    public static Option<bool> Crc() => OptionValues.Flag("--crc", "Append the CRC-16 *HHHH to every request and check the one on each answer");

    /// <summary><c>--timeout</c>, seconds to wait for a status line.</summary>
    public static Option<double> Timeout() => OptionValues.Number("--timeout",
        "Seconds to wait for each status line (the wait starts again with every line the device sends)", 0, 600, minInclusive: false, "s", 3);
}
