// Runs the Python client's own tests (clients/python/tests, unittest, standard library only)
// from `dotnet test`, so CI runs them with the README's test command. They drive the virtual
// device over stdio: its path is the pumpctl.dll this test project was built with, passed in
// PUMPCTL_DLL. Where no python3 is found the test is skipped with a message, not failed.
using System.Diagnostics;
using System.Reflection;
using PumpCtl.Cli;
using Xunit;
using Xunit.Abstractions;

namespace PumpCtl.Tests.PythonClient;

public sealed class PythonClientTests
{
    private static readonly string RepoRoot = typeof(PythonClientTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!;

    private readonly ITestOutputHelper _output;

    public PythonClientTests(ITestOutputHelper output) => _output = output;

    [PythonFact]
    public void The_python_clients_unittests_pass_against_the_virtual_device()
    {
        string client = Path.Combine(RepoRoot, "clients", "python");
        var start = new ProcessStartInfo(PythonFactAttribute.Python!)
        {
            WorkingDirectory = client,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-m", "unittest", "discover", "-s", "tests", "-t", ".", "-v" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["PUMPCTL_DLL"] = typeof(CliApp).Assembly.Location;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";   // no __pycache__ in the checkout
        using Process python = Process.Start(start)!;
        Task<string> stdout = python.StandardOutput.ReadToEndAsync();
        Task<string> stderr = python.StandardError.ReadToEndAsync();
        if (!python.WaitForExit(300_000))
        {
            python.Kill(entireProcessTree: true);
            Assert.Fail("the Python tests did not finish within 300 s");
        }
        string report = stdout.Result + stderr.Result;
        _output.WriteLine(report);
        Assert.True(python.ExitCode == 0, report);
        // unittest prints "OK" or "OK (skipped=N)": with the device given, nothing may be skipped.
        Assert.Contains("\nOK\n", report.Replace("\r", ""));
        Assert.Matches(@"Ran (\d{2,}) tests", report);
    }
}

/// <summary>A fact that is skipped, with the reason, when no python3 is on the PATH (or in PYTHON).</summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public static readonly string? Python = Find();

    public PythonFactAttribute()
    {
        if (Python == null)
        {
            Skip = "no python3 found on PATH (or in the PYTHON environment variable): the Python client's tests did not run";
        }
    }

    private static string? Find()
    {
        string? given = Environment.GetEnvironmentVariable("PYTHON");
        if (!string.IsNullOrEmpty(given) && File.Exists(given))
        {
            return given;
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in new[] { "python3", "python3.exe" })
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate) && Works(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    // A pyenv shim or a Windows store alias may exist without a working interpreter behind it.
    private static bool Works(string python)
    {
        try
        {
            var start = new ProcessStartInfo(python, "-c \"import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using Process p = Process.Start(start)!;
            return p.WaitForExit(20_000) && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
