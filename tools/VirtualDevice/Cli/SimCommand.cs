// The entry point behind `pumpctl sim`. pumpctl (tools/PumpCtl) owns the command line as a
// whole and forwards everything after the word `sim` here, so the virtual device's options
// are defined and documented in one place (docs/VIRTUAL-DEVICE.md).
using System.Runtime.InteropServices;
using PumpFirmware.Hal.Simulated;
using PumpFirmware.VirtualDevice.Device;
using PumpFirmware.VirtualDevice.Hosting;
using PumpFirmware.VirtualDevice.Pty;

namespace PumpFirmware.VirtualDevice.Cli;

/// <summary>`pumpctl sim [--pty|--stdio] [--link PATH] [--state DIR] [--clock real|manual] [--balance-pty] [--seed N]`.</summary>
public static class SimCommand
{
    /// <summary>Runs the virtual device until SIGINT/SIGTERM (or end of input with --stdio).</summary>
    /// <param name="args">The arguments after `sim`.</param>
    /// <returns>0 on a clean end, 1 on a runtime failure, 2 on a usage error.</returns>
    public static int Run(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.WriteLine(SimOptions.Usage);
            return 0;
        }
        SimOptions? options = SimOptions.Parse(args, out string? error);
        if (options == null)
        {
            Console.Error.WriteLine("pumpctl sim: " + error);
            Console.Error.WriteLine(SimOptions.Usage);
            return 2;
        }
        using var cancel = new CancellationTokenSource();
        return Run(options, cancel, Console.Out);
    }

    /// <summary>Runs the device with parsed options; <paramref name="announce"/> gets the
    /// `PTY <path>` / `BALANCE <path>` lines. Returns when <paramref name="cancel"/> fires
    /// (SIGINT and SIGTERM fire it too).</summary>
    public static int Run(SimOptions options, CancellationTokenSource cancel, TextWriter announce)
    {
        bool temporary = options.StateDir == null;
        string stateDir = options.StateDir ?? Path.Combine(Path.GetTempPath(), "pumpctl-sim-" + Guid.NewGuid().ToString("N")[..12]);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // we end cleanly ourselves
            cancel.Cancel();
        }

        PosixPty? pty = null;
        PtyLink? link = null;
        BalanceServer? balance = null;
        try
        {
            var pump = new VirtualPump(new VirtualPumpOptions
            {
                Clock = options.Clock,
                Store = new FolderRecordStore(stateDir),
                Seed = options.Seed,
                CalibrationErrorPpm = options.CalibrationErrorPpm,
                Pulsation = options.Pulsation,
                MaxStepsPerSecond = options.MaxStepsPerSecond,
                PressurePlant = options.PressurePlant,
                ComplianceMicrolitersPer100MmHg = options.ComplianceMicrolitersPer100MmHg,
                PressureLeakSeconds = options.PressureLeakSeconds,
                BatteryCapacityMah = options.BatteryCapacityMah,
            });
            DeviceServer server;
            if (options.Stdio)
            {
                Stream input = Console.OpenStandardInput();
                Stream output = Console.OpenStandardOutput();
                server = new DeviceServer(pump, input.Read, bytes => { output.Write(bytes); output.Flush(); })
                {
                    StopAtEndOfInput = true,
                };
            }
            else
            {
                pty = PosixPty.Open(); // raw mode is set here, before the device sends its first byte
                server = new DeviceServer(pump, pty.Read, pty.Write);
                announce.WriteLine("PTY " + pty.SlavePath);
                if (options.Link != null)
                {
                    link = PtyLink.Create(options.Link, pty.SlavePath);
                    announce.WriteLine("LINK " + link.Path);
                }
            }
            if (options.BalancePty)
            {
                balance = new BalanceServer(pump.Balance, server.SyncRoot);
                (options.Stdio ? Console.Error : announce).WriteLine("BALANCE " + balance.Path);
            }
            announce.Flush();
            server.Run(cancel.Token);
            pump.SaveBatteryClock();
            return 0;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("pumpctl sim: " + e.Message);
            return 1;
        }
        finally
        {
            balance?.Dispose();
            link?.Dispose();
            pty?.Dispose();
            if (temporary)
            {
                try { Directory.Delete(stateDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
