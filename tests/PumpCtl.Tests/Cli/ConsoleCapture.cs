// Runs pumpctl in-process and captures what it prints.
using PumpCtl.Cli;
using PumpCtl.Serial;

namespace PumpCtl.Tests.Cli;

public static class ConsoleCapture
{
    public static (int Exit, string Out, string Err) Run(string[] args, ISerialLineOpener? pump = null, ISerialLineOpener? balance = null)
    {
        TextWriter oldOut = Console.Out, oldErr = Console.Error;
        var o = new StringWriter();
        var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            int exit = CliApp.Run(args, pump, balance);
            return (exit, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }
}
