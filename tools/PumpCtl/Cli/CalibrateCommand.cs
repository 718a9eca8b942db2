// `pumpctl calibrate`: the gravimetric calibration of hardware/README.md in one command
// (refill check, primes weighed on the balance, steps/mL with its uncertainty, CAL after
// confirmation). The procedure is Calibration/GravimetricCalibration; this is its command line.
using System.CommandLine;
using System.Globalization;
using PumpCtl.Calibration;
using PumpCtl.Serial;

namespace PumpCtl.Cli;

/// <summary>Builds <c>pumpctl calibrate</c>.</summary>
public static class CalibrateCommand
{
    /// <summary>The command.</summary>
    public static Command Create(ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        var port = CommonOptions.Port();
        var balance = new Option<string>("--balance") { Description = "The balance's serial port (MT-SICS; the virtual device's BALANCE pty)", Required = true, HelpName = "path" };
        var balanceBaud = new Option<int>("--balance-baud") { Description = "The balance's baud rate", DefaultValueFactory = _ => 9600, HelpName = "baud" };
        var volume = new Option<int>("--volume-ul") { Description = "Volume of each prime, µL (at most the program's catheter_ul)", DefaultValueFactory = _ => 1000, HelpName = "uL" };
        var runs = new Option<int>("--runs") { Description = "Number of weighed primes (1 to 20)", DefaultValueFactory = _ => 3, HelpName = "n" };
        var density = new Option<double>("--density") { Description = "Density of the liquid in g/mL (water at 20 °C: 0.998)", DefaultValueFactory = _ => 0.998, HelpName = "g/mL" };
        var resolution = new Option<double>("--resolution-mg") { Description = "The balance's readability d in mg", DefaultValueFactory = _ => 0.1, HelpName = "mg" };
        var refill = new Option<int?>("--refill") { Description = "If the reservoir holds too little for the runs, send REFILL with this volume, µL (fill it first)", HelpName = "uL" };
        var pin = new Option<string>("--pin") { Description = "The PIN for AUTH", DefaultValueFactory = _ => "0000", HelpName = "digits" };
        var simAdvance = new Option<bool>("--sim-advance") { Description = "For the virtual device with --clock manual: move time with SIM:ADVANCE instead of waiting" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Send CAL without asking" };
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
        Range(volume, 1, 100000, "--volume-ul");
        Range(runs, 1, 20, "--runs");
        density.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v > 0.1 && v < 25))
            {
                r.AddError($"--density must be a plausible density in g/mL (got {v})");
            }
        });
        resolution.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (!(v > 0 && v <= 1000))
            {
                r.AddError($"--resolution-mg must be above 0 and at most 1000 mg (got {v})");
            }
        });
        refill.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is int v && v <= 0)
            {
                r.AddError($"--refill must be a positive volume in µL (got {v})");
            }
        });
        var command = new Command("calibrate", "Gravimetric calibration (hardware/README.md): weigh primes on a balance, compute steps/mL with its uncertainty, send CAL after confirmation.")
        {
            port, balance, balanceBaud, volume, runs, density, resolution, refill, pin, simAdvance, yes, crc, timeout,
        };
        command.SetAction(r =>
        {
            var options = new CalibrationOptions
            {
                Pin = r.GetValue(pin)!,
                VolumeMicroliters = r.GetValue(volume),
                Runs = r.GetValue(runs),
                DensityGramsPerMilliliter = r.GetValue(density),
                ResolutionGrams = r.GetValue(resolution) / 1000.0,
                RefillMicroliters = r.GetValue(refill),
                SimAdvance = r.GetValue(simAdvance),
                AssumeYes = r.GetValue(yes),
            };
            ISerialLineOpener balanceLines = balanceOpener is SerialPortOpener
                ? new SerialPortOpener(r.GetValue(balanceBaud), "\r\n")
                : balanceOpener;
            return Execute(options, r.GetValue(port)!, r.GetValue(balance)!, r.GetValue(crc), r.GetValue(timeout), pumpOpener, balanceLines);
        });
        return command;
    }

    private static void Range(Option<int> option, int low, int high, string name)
    {
        option.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v < low || v > high)
            {
                r.AddError($"{name} must be {low} to {high} (got {v})");
            }
        });
    }

    private static int Execute(CalibrationOptions options, string portName, string balanceName, bool crc, double timeoutS,
        ISerialLineOpener pumpOpener, ISerialLineOpener balanceOpener)
    {
        try
        {
            using ISerialLine port = pumpOpener.Open(portName);
            using ISerialLine balance = balanceOpener.Open(balanceName);
            var client = new PumpClient(port, crc) { Timeout = TimeSpan.FromSeconds(Math.Max(timeoutS, options.SimAdvance ? 30 : 0)) };
            var calibration = new GravimetricCalibration(client, balance, options, Console.Out);
            calibration.Run(Confirm);
            return ExitCodes.Ok;
        }
        catch (CalibrationException e)
        {
            Console.Error.WriteLine($"pumpctl calibrate: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"pumpctl calibrate: {e.Message}");
            return ExitCodes.Communication;
        }
    }

    // Asks on the console; end of input (a script without --yes) is a no.
    private static bool Confirm(string question)
    {
        Console.Write(question + " [y/N] ");
        string? answer = Console.ReadLine();
        Console.WriteLine();
        return answer != null && answer.Trim().ToLower(CultureInfo.InvariantCulture) is "y" or "yes";
    }
}
