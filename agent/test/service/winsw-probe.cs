// Reads a WinSW XML through WinSW's own parser (winsw.ServiceDescriptor.FromXML of the winsw.exe given) and
// prints what WinSW would do with it, one "key=value" line each, for agent/test/service/winsw.test.ts.
// Compiled there with Mono's mcs and run with mono: WinSW 1.17 is a .NET program, Wine here has no .NET.
using System;
using System.Collections;
using System.IO;
using System.Reflection;

class WinswProbe {
  static object Get(object o, string name) {
    var p = o.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
    if (p != null) return p.GetValue(o, null);
    var f = o.GetType().GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
    return f == null ? "(none)" : f.GetValue(o);
  }

  static int Main(string[] args) {
    var winsw = Assembly.LoadFrom(args[0]);
    var type = winsw.GetType("winsw.ServiceDescriptor");
    object d;
    try {
      d = type.GetMethod("FromXML").Invoke(null, new object[] { File.ReadAllText(args[1]) });
    } catch (TargetInvocationException e) {
      Console.Error.WriteLine("WinSW refused the XML: " + e.InnerException.Message);
      return 1;
    }
    Console.WriteLine("version=" + winsw.GetName().Version);
    foreach (var name in new[] { "Id", "Caption", "Description", "Executable", "Arguments", "WorkingDirectory", "LogDirectory",
        "StartMode", "ServiceAccountUser", "ResetFailureAfter", "StopTimeout" }) {
      Console.WriteLine(name + "=" + Get(d, name));
    }
    var env = (IDictionary)Get(d, "EnvironmentVariables");
    foreach (DictionaryEntry e in env) Console.WriteLine("env." + e.Key + "=" + e.Value);
    foreach (var action in (IEnumerable)Get(d, "FailureActions")) Console.WriteLine("onfailure=" + Get(action, "Type") + " " + Get(action, "Delay"));
    // FromXML leaves the base name (the wrapper's own file name, which WinSW's constructor takes from its path) unset.
    foreach (var name in new[] { "BaseName", "BasePath" }) {
      var f = type.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
      if (f != null) f.SetValue(d, name == "BaseName" ? "nines-agent-service" : "C:\\Program Files\\Nines Agent\\nines-agent-service");
      var p = type.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
      if (f == null && p != null && p.CanWrite) p.SetValue(d, name == "BaseName" ? "nines-agent-service" : "C:\\Program Files\\Nines Agent\\nines-agent-service", null);
    }
    var log = Get(d, "LogHandler");
    Console.WriteLine("log=" + log.GetType().Name);
    foreach (var name in new[] { "SizeTheshold", "SizeThreshold", "FilesToKeep" }) {
      var value = Get(log, name);
      if (!"(none)".Equals(value)) Console.WriteLine("log." + name + "=" + value);
    }
    return 0;
  }
}
