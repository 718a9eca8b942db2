// `pumpctl bench occlusion` and `pumpctl bench bolus`: the standard's bench tests as commands
// (docs/BENCH.md). Both talk to a pump and a balance: a rig (--port, --balance), the virtual
// device on a pty (`pumpctl sim --pty --balance-pty --plant pressure --clock manual`, with
// --sim-advance), or a virtual device started in this process (--sim, which moves its time with
// SIM:ADVANCE: hours of an occlusion test in seconds). The procedures are in Bench/.
using System.CommandLine;
using System.Globalization;
using PumpCtl.Analysis;
using PumpCtl.Bench;
using PumpCtl.Serial;
using PumpFirmware.VirtualDevice.Device;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl bench</c>.</summary>
public static class BenchCommand
{
    /// <summary>The command with its two tests.</summary>
    public static Command Create(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var command = new Command("bench", "The standard's bench tests on a pump and a balance: 'bench occlusion' (IEC 60601-2-24 occlusion: time and " +
            "volume to alarm, the unintended bolus) and 'bench bolus' (bolus accuracy). On a rig, or on the virtual device (--sim). See docs/BENCH.md.")
        {
            Occlusion(pumpOpener, balanceOpener),
            Bolus(pumpOpener, balanceOpener),
        };
        return command;
    }

    // The options both tests take.
    private sealed class Shared
    {
        public readonly Option<string?> Port = OptionValues.Text("--port", "The pump's serial port (a rig, or the virtual device's pty); not with --sim",
            "path", required: false, "a serial port's path, e.g. /dev/ttyUSB0", "-p")!;
        public readonly Option<string?> Balance = OptionValues.Text("--balance", "The balance's serial port (MT-SICS); not with --sim",
            "path", required: false, "a serial port's path, e.g. /dev/ttyUSB1")!;
        public readonly Option<int> BalanceBaud = OptionValues.Integer("--balance-baud", "The balance's baud rate", 300, 1000000, "baud", 9600);
        public readonly Option<bool> Sim = OptionValues.Flag("--sim", "Run on a virtual device started here (with the pressure plant and a balance); time moves by SIM:ADVANCE");
        public readonly Option<bool> SimAdvance = OptionValues.Flag("--sim-advance", "The port is a virtual device with --clock manual: move time with SIM:ADVANCE and block with SIM:FAULT");
        public readonly Option<int> Seed = OptionValues.Integer("--seed", "With --sim: seed of the balance and sensor noise", int.MinValue, int.MaxValue, "", 1);
        public readonly Option<int> CalErrorPpm = OptionValues.Integer("--cal-error-ppm", "With --sim: the pump head delivers (1 + n/10^6) times nominal",
            -999_999, 1_000_000, "ppm", 0);
        public readonly Option<double> Density = OptionValues.Number("--density", "Density of the liquid in g/mL (water at 20 °C: 0.998)", 0.1, 25, minInclusive: false, "g/mL", 0.998);
        public readonly Option<string> Pin = OptionValues.Checked("--pin", "The PIN for AUTH", "digits", "0000",
            v => v.Length >= 4 && v.Length <= 8 && v.All(char.IsAsciiDigit), "4 to 8 digits");
        public readonly Option<int?> Refill = RefillOption();
        public readonly Option<DirectoryInfo> Out = OptionValues.OutputFolder("--out", "Folder for the CSV, JSON (and figure)", "dir");
        public readonly Option<bool> Crc = CommonOptions.Crc();
        public readonly Option<double> Timeout = CommonOptions.Timeout();

        public IEnumerable<Option> All => new Option[] { Port, Balance, BalanceBaud, Sim, SimAdvance, Seed, CalErrorPpm, Density, Pin, Refill, Out, Crc, Timeout };
    }

    private static Option<int?> RefillOption()
    {
        var refill = new Option<int?>("--refill") { Description = "If the reservoir holds too little for the run, send REFILL with this volume, µL (fill it first)", HelpName = "uL" };
        refill.CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= 1000000)
            {
                return v;
            }
            r.AddError(OptionValues.Refused("--refill", text, "a whole number from 1 to 1000000 µL"));
            return null;
        };
        return refill;
    }

    private static Command Occlusion(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var s = new Shared();
        var rate = OptionValues.Number("--rate-ul-h", "The set rate, µL/h (the standard: the intermediate rate)", 0, 100000, minInclusive: false, "µL/h", 10);
        var limit = OptionValues.OptionalNumber("--limit-mmhg", "Send PRESSURE:LIMIT first (the standard: the minimum occlusion alarm threshold); default: the pump's",
            10, 2000, minInclusive: true, "mmHg", "mmHg");
        var settle = OptionValues.Number("--settle-min", "Minutes of flow before the block", 0, 10000, minInclusive: true, "min", 10);
        var sample = OptionValues.Number("--sample-s", "Seconds between two samples of pressure and balance", 1, 3600, minInclusive: true, "s", 30);
        var max = OptionValues.Number("--max-min", "Longest wait for the alarm after the block, min", 0, 100000, minInclusive: false, "min", 1440);
        var collect = OptionValues.Number("--collect-s", "Seconds the bolus is collected after the release", 1, 3600, minInclusive: true, "s", 60);
        var compliance = OptionValues.Number("--compliance-ul", "With --sim: compliance of head and catheter, µL per 100 mmHg", 0.01, 10000, minInclusive: true, "µL/100 mmHg", 10);
        var leak = OptionValues.Number("--leak-s", "With --sim: time constant of the held volume's leak back, s (0 = none)", 0, 1e9, minInclusive: true, "s", 0);
        var format = OptionValues.OneOf("--format", "Figure format: png, svg or pdf", "png", "png", "svg", "pdf");
        var command = new Command("occlusion", "IEC 60601-2-24's occlusion test: flow settles at the set rate, the line is blocked, the time and volume " +
            "to the OCCLUSION alarm are measured, the block is released and the unintended bolus weighed. Writes occlusion.csv, .json and a figure.")
        {
            rate, limit, settle, sample, max, collect, compliance, leak, format,
        };
        foreach (Option o in s.All) command.Add(o);
        command.SetAction(r =>
        {
            var options = new OcclusionOptions
            {
                RateMicrolitersPerHour = r.GetValue(rate),
                LimitMmHg = r.GetValue(limit),
                SettleMinutes = r.GetValue(settle),
                SampleSeconds = r.GetValue(sample),
                MaxMinutes = r.GetValue(max),
                CollectSeconds = r.GetValue(collect),
                DensityGramsPerMilliliter = r.GetValue(s.Density),
                Pin = r.GetValue(s.Pin)!,
                RefillMicroliters = r.GetValue(s.Refill) ?? (r.GetValue(s.Sim) ? 20000 : null),
            };
            var plot = new PlotOptions { Format = Enum.Parse<PlotFormat>(r.GetValue(format)!, ignoreCase: true) };
            var sim = new VirtualPumpOptions
            {
                PressurePlant = true,
                ComplianceMicrolitersPer100MmHg = r.GetValue(compliance),
                PressureLeakSeconds = r.GetValue(leak),
                Seed = r.GetValue(s.Seed),
                CalibrationErrorPpm = r.GetValue(s.CalErrorPpm),
            };
            return Execute("occlusion", s, r, sim, pumpOpener, balanceOpener, session =>
            {
                OcclusionResult result = new OcclusionBench(session, options, Console.Out).Run(OperatorStep);
                return BenchOutput.WriteOcclusion(result, r.GetValue(s.Out)!.FullName, plot);
            });
        });
        return command;
    }

    private static Command Bolus(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var s = new Shared();
        var sizes = new Option<double[]>("--sizes-ul") { Description = "The bolus volumes, µL, smallest first: the smallest, a middle and the largest (e.g. 5,50,500)", HelpName = "a,b,c",
            DefaultValueFactory = _ => new double[] { 5, 50, 500 } };
        sizes.CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            string[] parts = text.Split(',');
            var values = new List<double>();
            foreach (string part in parts)
            {
                if (!double.TryParse(part, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) || !(v >= 0.001 && v <= 100000))
                {
                    values.Clear();
                    break;
                }
                values.Add(v);
            }
            if (values.Count < 1 || values.Count > 10 || values.Distinct().Count() != values.Count)
            {
                r.AddError(OptionValues.Refused("--sizes-ul", text, "1 to 10 different volumes from 0.001 to 100000 µL, comma-separated, e.g. 5,50,500"));
                return Array.Empty<double>();
            }
            return values.ToArray();
        };
        var repeats = OptionValues.Integer("--repeats", "Boluses per size", 1, 1000, "boluses", 25);
        var settle = OptionValues.Number("--settle-s", "Seconds the liquid settles after each bolus before it is weighed", 0, 600, minInclusive: true, "s", 3);
        var command = new Command("bolus", "Bolus accuracy: the smallest, a middle and the largest bolus, each repeated and weighed on the balance; " +
            "mean and worst error per size. Writes bolus.csv and bolus.json.")
        {
            sizes, repeats, settle,
        };
        foreach (Option o in s.All) command.Add(o);
        command.SetAction(r =>
        {
            var options = new BolusOptions
            {
                SizesMicroliters = r.GetValue(sizes)!,
                Repeats = r.GetValue(repeats),
                SettleSeconds = r.GetValue(settle),
                DensityGramsPerMilliliter = r.GetValue(s.Density),
                Pin = r.GetValue(s.Pin)!,
                RefillMicroliters = r.GetValue(s.Refill) ?? (r.GetValue(s.Sim) ? (int)Math.Min(1000000, Math.Ceiling(r.GetValue(sizes)!.Sum() * r.GetValue(repeats) * 1.2 + 1000)) : null),
            };
            var sim = new VirtualPumpOptions { Seed = r.GetValue(s.Seed), CalibrationErrorPpm = r.GetValue(s.CalErrorPpm) };
            return Execute("bolus", s, r, sim, pumpOpener, balanceOpener, session =>
                BenchOutput.WriteBolus(new BolusBench(session, options, Console.Out).Run(), r.GetValue(s.Out)!.FullName));
        });
        return command;
    }

    private static int Execute(string name, Shared s, ParseResult r, VirtualPumpOptions simOptions, ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener,
        Func<BenchSession, string[]> run)
    {
        bool sim = r.GetValue(s.Sim);
        string? port = r.GetValue(s.Port), balance = r.GetValue(s.Balance);
        if (sim == (port != null) || (!sim && balance == null))
        {
            Console.Error.WriteLine($"pumpctl bench {name}: give --port and --balance (a rig, or the virtual device's ptys), or --sim (a virtual device started here) (see 'pumpctl bench {name} --help')");
            return ExitCodes.Usage;
        }
        try
        {
            ISerialLine? pumpLine = null, balanceLine = null;
            try
            {
                if (sim)
                {
                    var bench = new VirtualBench(simOptions);
                    pumpLine = bench.PumpLine;
                    balanceLine = bench.BalanceLine;
                }
                else
                {
                    pumpLine = pumpOpener.Open(port!);
                    balanceLine = (balanceOpener is SerialPortOpener ? new SerialPortOpener(r.GetValue(s.BalanceBaud), "\r\n") : balanceOpener).Open(balance!);
                }
                bool advance = sim || r.GetValue(s.SimAdvance);
                var client = new PumpClient(pumpLine, r.GetValue(s.Crc)) { Timeout = TimeSpan.FromSeconds(Math.Max(r.GetValue(s.Timeout), advance ? 60 : 0)) };
                var session = new BenchSession(client, balanceLine, r.GetValue(s.Pin)!, advance, Console.Out);
                foreach (string path in run(session))
                {
                    Console.Out.WriteLine("wrote " + path);
                }
                return ExitCodes.Ok;
            }
            finally
            {
                pumpLine?.Dispose();
                balanceLine?.Dispose();
            }
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine($"pumpctl bench {name}: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl bench {name}: {e.Message}");
            return ExitCodes.Communication;
        }
    }

    // A rig: the operator does the step, then presses Enter (end of input: go on at once).
    private static void OperatorStep(string instruction)
    {
        Console.Out.WriteLine(instruction);
        Console.In.ReadLine();
    }
}
