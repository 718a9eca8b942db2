// Options shared by the commands that talk to a pump, defined once so their names, help and
// validation agree everywhere.
using System.CommandLine;

namespace PumpCtl.Cli;

/// <summary>Factories for shared options.</summary>
public static class CommonOptions
{
    /// <summary><c>--port</c>, required.</summary>
    public static Option<string> Port() => new("--port", "-p")
    {
        Description = "The pump's serial port, e.g. /dev/ttyUSB0 or the virtual device's /dev/pts/N",
        Required = true,
        HelpName = "path",
    };

    /// <summary><c>--crc</c>.</summary>
    public static Option<bool> Crc() => new("--crc")
    {
        Description = "Append the CRC-16 *HHHH to every request and check the one on each answer",
    };

    /// <summary><c>--timeout</c>, seconds to wait for a status line.</summary>
    public static Option<double> Timeout()
    {
        var option = new Option<double>("--timeout")
        {
            Description = "Seconds to wait for each status line",
            DefaultValueFactory = _ => 3,
            HelpName = "s",
        };
        option.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v > 0 && v <= 600))
            {
                r.AddError($"--timeout must be between 0 and 600 s (got {v})");
            }
        });
        return option;
    }
}
