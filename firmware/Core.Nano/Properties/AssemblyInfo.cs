using System.Reflection;

[assembly: AssemblyTitle("PumpFirmware.Core")]
[assembly: AssemblyDescription("The pump's shared core (firmware/Core, hal/Abstractions) for nanoFramework")]
[assembly: AssemblyProduct("PumpFirmware")]
[assembly: AssemblyVersion("1.0.0.0")]
