using System.Globalization;
using PumpFirmware.Hal.Simulated;

namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>The parsed options of `pumpctl sim`.</summary>
public sealed class SimOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        "usage: pumpctl sim [--pty | --stdio] [--link <path>] [--state <dir>] [--clock real|manual] [--balance-pty]\n" +
        "                   [--seed <n>] [--cal-error-ppm <n>] [--pulsation <0..1>] [--max-steps-s <n>]\n" +
        "                   [--plant switch|pressure] [--compliance-ul <uL>] [--leak-s <s>] [--battery-mah <n>]\n" +
        "  --pty            serve the protocol on a pseudo-terminal; prints `PTY <path>` first (default)\n" +
        "  --stdio          serve it on stdin/stdout\n" +
        "  --link <path>    also make <path> a symbolic link to the pty, a fixed name (removed at exit)\n" +
        "  --state <dir>    persistent storage folder (default: a temporary one, removed at exit)\n" +
        "  --clock real     virtual time follows the host clock (default); manual: only SIM:ADVANCE moves it\n" +
        "  --balance-pty    also serve a simulated MT-SICS balance; prints `BALANCE <path>`\n" +
        "  --seed <n>       seed of the balance noise (default 1)\n" +
        "  --cal-error-ppm  the pump head's true volume error, ppm (default 0)\n" +
        "  --pulsation      ripple of the volume per step within a revolution (default 0)\n" +
        "  --max-steps-s    the board's maximum step rate (default 1000)\n" +
        "  --plant          occlusion model: switch (default; asserts at once) or pressure (a block builds\n" +
        "                   pressure in a compliance, read by a pressure sensor; the release is a bolus)\n" +
        "  --compliance-ul  with --plant pressure: compliance, uL per 100 mmHg (default 10)\n" +
        "  --leak-s         with --plant pressure: time constant of the held volume's leak back, s (default 0: none)\n" +
        "  --battery-mah    battery powered, with a cell of n mAh and the firmware's battery gauge (default: mains)";

    public bool Stdio { get; private set; }
    public string? StateDir { get; private set; }

    /// <summary>A symbolic link to the pty to create (null: none).</summary>
    public string? Link { get; private set; }
    public ClockMode Clock { get; private set; } = ClockMode.Real;
    public bool BalancePty { get; private set; }
    public int Seed { get; private set; } = 1;
    public int CalibrationErrorPpm { get; private set; }
    public double Pulsation { get; private set; }

    /// <summary>--battery-mah: a battery-powered pump with a cell of this capacity; null = mains.</summary>
    public long? BatteryCapacityMah { get; private set; }
    public int MaxStepsPerSecond { get; private set; } = 1000;

    /// <summary>The pressure model of occlusion (<c>--plant pressure</c>).</summary>
    public bool PressurePlant { get; private set; }

    /// <summary>With the pressure model: compliance, µL per 100 mmHg.</summary>
    public double ComplianceMicrolitersPer100MmHg { get; private set; } = CatheterPressure.DefaultComplianceMicrolitersPer100MmHg;

    /// <summary>With the pressure model: leak time constant, s.</summary>
    public double PressureLeakSeconds { get; private set; }

    /// <summary>Parses; on a bad argument returns null with the reason in <paramref name="error"/>.</summary>
    public static SimOptions? Parse(string[] args, out string? error)
    {
        var o = new SimOptions();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next()
            {
                if (i + 1 >= args.Length) return null;
                return args[++i];
            }
            switch (a)
            {
                case "--pty": o.Stdio = false; break;
                case "--stdio": o.Stdio = true; break;
                case "--balance-pty": o.BalancePty = true; break;
                case "--link":
                    o.Link = Next();
                    if (string.IsNullOrWhiteSpace(o.Link)) { error = "--link needs a path for the symbolic link, e.g. /tmp/pump"; return null; }
                    break;
                case "--state":
                    o.StateDir = Next();
                    if (string.IsNullOrEmpty(o.StateDir)) { error = "--state needs a folder"; return null; }
                    break;
                case "--clock":
                    switch (Next())
                    {
                        case "real": o.Clock = ClockMode.Real; break;
                        case "manual": o.Clock = ClockMode.Manual; break;
                        default: error = "--clock must be real or manual"; return null;
                    }
                    break;
                case "--seed":
                    if (!int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)) { error = "--seed needs an integer"; return null; }
                    o.Seed = seed;
                    break;
                case "--cal-error-ppm":
                    if (!int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int ppm) || ppm <= -1_000_000 || ppm > 1_000_000)
                    { error = "--cal-error-ppm needs an integer in (-1000000, 1000000]"; return null; }
                    o.CalibrationErrorPpm = ppm;
                    break;
                case "--pulsation":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || p < 0 || p >= 1)
                    { error = "--pulsation needs a number in [0, 1)"; return null; }
                    o.Pulsation = p;
                    break;
                case "--max-steps-s":
                    if (!int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int max) || max < 1 || max > 20000)
                    { error = "--max-steps-s needs an integer 1..20000"; return null; }
                    o.MaxStepsPerSecond = max;
                    break;
                case "--plant":
                    switch (Next())
                    {
                        case "switch": o.PressurePlant = false; break;
                        case "pressure": o.PressurePlant = true; break;
                        default: error = "--plant must be switch or pressure"; return null;
                    }
                    break;
                case "--compliance-ul":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double c) || !(c >= 0.01 && c <= 10000))
                    { error = "--compliance-ul needs a number in [0.01, 10000] (uL per 100 mmHg)"; return null; }
                    o.ComplianceMicrolitersPer100MmHg = c;
                    break;
                case "--leak-s":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double leak) || !(leak >= 0 && leak <= 1e9))
                    { error = "--leak-s needs a number in [0, 1e9] (0 = no leak)"; return null; }
                    o.PressureLeakSeconds = leak;
                    break;
                case "--battery-mah":
                    if (!long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out long mah) || mah < 1 || mah > 100_000)
                    { error = "--battery-mah needs an integer 1..100000"; return null; }
                    o.BatteryCapacityMah = mah;
                    break;
                default:
                    error = $"unknown option '{a}'";
                    return null;
            }
        }
        if (o.Stdio && o.Link != null)
        {
            error = "--link names the pty; it does not go with --stdio";
            return null;
        }
        return o;
    }
}
