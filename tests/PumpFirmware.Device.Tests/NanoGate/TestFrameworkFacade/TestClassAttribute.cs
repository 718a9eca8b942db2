// Facade of nanoFramework.TestFramework 3.0.77 (reference only), for the device-tests gate.
using System;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class)]
    public class TestClassAttribute : Attribute
    {
    }
}
