using System.Reflection;

[assembly: AssemblyTitle("PumpFirmware.Device")]
[assembly: AssemblyDescription("Programmable drug pump firmware for ESP32 (research equipment, not a medical device)")]
[assembly: AssemblyProduct("PumpFirmware")]
[assembly: AssemblyVersion("1.0.0.0")]
