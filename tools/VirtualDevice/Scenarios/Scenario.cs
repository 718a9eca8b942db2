// A scenario file: a line-based, human-written test of a therapy run (format and reference in
// docs/VIRTUAL-DEVICE.md). Parsing is strict (ScenarioParser): every bad line is an error naming
// its file, line and column, so a typo never silently changes what was simulated or checked.
using System.Globalization;
using System.Text.RegularExpressions;

namespace PumpFirmware.VirtualDevice.Scenarios;

/// <summary>A parsed scenario.</summary>
public sealed partial class Scenario
{
    /// <summary>2026-01-01T00:00:00Z, the default wall clock at the start.</summary>
    public const long DefaultStartUnixSeconds = 1_767_225_600;

    /// <summary>Name (default: the file name).</summary>
    public string Name { get; set; } = "scenario";

    /// <summary>Seed of every random source.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Wall clock at the start, unix seconds (sent with TIME).</summary>
    public long StartUnixSeconds { get; set; } = DefaultStartUnixSeconds;

    /// <summary>How long to run, µs.</summary>
    public long DurationMicros { get; set; } = 86_400_000_000;

    /// <summary>TEL period in seconds (0 = off).</summary>
    public int TelemetrySeconds { get; set; } = 60;

    /// <summary>Add a mass_g column from the simulated balance.</summary>
    public bool Balance { get; set; }

    /// <summary>Include !TEL lines in the trace (they are always in the CSV).</summary>
    public bool TraceTelemetry { get; set; }

    /// <summary>The session PIN.</summary>
    public string Pin { get; set; } = "0000";

    /// <summary>Plant: volume error, ppm.</summary>
    public int CalibrationErrorPpm { get; set; }

    /// <summary>Plant: ripple per revolution (0..1).</summary>
    public double Pulsation { get; set; }

    /// <summary>Plant: true steps per mL.</summary>
    public long PlantStepsPerMl { get; set; } = 64000;

    /// <summary>Plant: the pressure model of occlusion (<c>plant occlusion=pressure</c>) instead of the switch.</summary>
    public bool PressurePlant { get; set; }

    /// <summary>Plant (pressure model): compliance, µL per 100 mmHg.</summary>
    public double ComplianceMicrolitersPer100MmHg { get; set; } = PumpFirmware.Hal.Simulated.CatheterPressure.DefaultComplianceMicrolitersPer100MmHg;

    /// <summary>Plant (pressure model): leak time constant, s (0 = none).</summary>
    public double PressureLeakSeconds { get; set; }

    /// <summary>Plant (pressure model): sensor noise, mV.</summary>
    public double PressureNoiseMillivolts { get; set; }

    /// <summary>Balance noise, g.</summary>
    public double NoiseGrams { get; set; } = 0.00002;

    /// <summary>plant battery_mah: a battery-powered pump of this nominal capacity (null: mains, the default).</summary>
    public long? BatteryCapacityMah { get; set; }

    /// <summary>plant battery_error_ppm: the simulated cell's true capacity error.</summary>
    public int BatteryCapacityErrorPpm { get; set; }

    /// <summary>True (the default, <c>errors fail</c>): an <c>ERR</c> reply that no expect line
    /// allows fails the scenario. False (<c>errors count</c>): it is only counted (generated
    /// swarms, where refusals come at random).</summary>
    public bool ErrorsFail { get; set; } = true;

    /// <summary><c>golden &lt;file&gt;</c>: the trace the run must reproduce line for line (full path), or null.</summary>
    public string? GoldenTracePath { get; set; }

    /// <summary>The golden file as written in the scenario.</summary>
    public string? GoldenTraceName { get; set; }

    /// <summary>The parameters (<c>param</c>) with the values used (defaults or <c>--set</c>), in order.</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>The program block's protocol lines (PROG:...), committed at the start.</summary>
    public List<string> ProgramLines { get; } = new();

    /// <summary>The timed actions, in time order as written (repeat blocks unrolled, includes read).</summary>
    public List<ScenarioAction> Actions { get; } = new();

    /// <summary>Reads a scenario file; <paramref name="sets"/> override its parameters' defaults.</summary>
    /// <exception cref="FormatException">Naming the file, line, column and problem.</exception>
    /// <param name="path">The file.</param>
    /// <param name="sets">Parameter values (<c>--set</c>).</param>
    /// <param name="anySets">True: a set for a parameter the scenario lacks is ignored (suites); false: an error.</param>
    public static Scenario Load(string path, IReadOnlyDictionary<string, string>? sets = null, bool anySets = false)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        var scenario = ScenarioParser.Parse(File.ReadAllText(path), path, dir, sets, anySets);
        if (scenario.Name == "scenario") scenario.Name = Path.GetFileNameWithoutExtension(path);
        return scenario;
    }

    /// <summary>Parses scenario text; includes are looked up from the current folder.</summary>
    /// <exception cref="FormatException">Naming the source, line, column and problem.</exception>
    public static Scenario Parse(string text, string source = "scenario", IReadOnlyDictionary<string, string>? sets = null) =>
        ScenarioParser.Parse(text, source, null, sets);

    /// <summary>Parses 0, 90s, 15m, 2h, 7d and combinations in that order (1d12h30m15s); µs.</summary>
    public static bool TryDuration(string text, out long micros)
    {
        micros = 0;
        text = text.Trim();
        if (text == "0") return true;
        Match m = DurationPattern().Match(text);
        if (!m.Success || text.Length == 0) return false;
        long total = 0;
        long[] unit = { 86_400, 3_600, 60, 1 };
        for (int g = 1; g <= 4; g++)
        {
            if (!m.Groups[g].Success) continue;
            if (!long.TryParse(m.Groups[g].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > 400_000_000) return false;
            total += n * unit[g - 1];
        }
        if (total > 10L * 366 * 86_400) return false;
        micros = total * 1_000_000;
        return true;
    }

    /// <summary>A time since the start as the trace writes it: <c>3d11:21:00.000</c>.</summary>
    public static string FormatTime(long micros)
    {
        long ms = micros / 1000;
        return $"{ms / 86_400_000}d{ms / 3_600_000 % 24:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}";
    }

    [GeneratedRegex(@"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex DurationPattern();
}
