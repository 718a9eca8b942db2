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
        var balance = OptionValues.Text("--balance", "The balance's serial port (MT-SICS; the virtual device's BALANCE pty)", "path", required: true, "a serial port's path, e.g. /dev/ttyUSB1");
        var balanceBaud = OptionValues.Integer("--balance-baud", "The balance's baud rate", 300, 1000000, "baud", 9600);
        var volume = OptionValues.Integer("--volume-ul", "Volume of each prime, µL (at most the program's catheter_ul)", 1, 100000, "µL", 1000);
        var runs = OptionValues.Integer("--runs", "Number of weighed primes", 1, 20, "runs", 3);
        var density = OptionValues.Number("--density", "Density of the liquid in g/mL (water at 20 °C: 0.998)", 0.1, 25, minInclusive: false, "g/mL", 0.998);
        var resolution = OptionValues.Number("--resolution-mg", "The balance's readability d in mg", 0, 1000, minInclusive: false, "mg", 0.1);
        var refill = new Option<int?>("--refill") { Description = "If the reservoir holds too little for the runs, send REFILL with this volume, µL (fill it first)", HelpName = "uL" };
        refill.CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= 1 && v <= 1000000)
            {
                return v;
            }
            r.AddError(OptionValues.Refused("--refill", text, "a whole number from 1 to 1000000 µL"));
            return null;
        };
        var pin = OptionValues.Checked("--pin", "The PIN for AUTH", "digits", "0000",
            v => v.Length >= 4 && v.Length <= 8 && v.All(char.IsAsciiDigit), "4 to 8 digits");
        var simAdvance = OptionValues.Flag("--sim-advance", "For the virtual device with --clock manual: move time with SIM:ADVANCE instead of waiting");
        var yes = OptionValues.Flag("--yes", "Send CAL without asking", "-y");
        var crc = CommonOptions.Crc();
        var timeout = CommonOptions.Timeout();
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
