namespace DP.Runtime.Experiments;

/// <summary>One experiment a program can run: its spec name, the spec file it came from, and its command line.</summary>
public sealed record ExperimentEntry(string Name, string SpecFile, Func<string[], int> Run);

/// <summary>
/// The entry point of a program with several specs (generated for C# and F# alike): <c>--experiment NAME</c> (or
/// <c>--experiment=NAME</c>) picks the experiment, which gets the other arguments. Without it, <c>--help</c> lists
/// the experiments and shows the first one's usage (the options they share); otherwise the list goes to stderr, exit 2.
/// </summary>
public static class ExperimentSelector
{
    public static int Run(string[] args, params ExperimentEntry[] experiments)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (experiments.Length == 0) throw new ArgumentException("No experiment to choose from.", nameof(experiments));
        string? name = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--experiment" && i + 1 < args.Length) { name = args[++i]; continue; }
            if (args[i].StartsWith("--experiment=", StringComparison.Ordinal)) { name = args[i]["--experiment=".Length..]; continue; }
            rest.Add(args[i]);
        }
        if (experiments.FirstOrDefault(e => e.Name == name) is { } chosen) return chosen.Run(rest.ToArray());
        if (name is null && args.Any(a => a is "-h" or "--help" or "help"))
        {
            List(Console.Out, "Choose an experiment with --experiment NAME. Experiments:", experiments);
            return experiments[0].Run(rest.ToArray());
        }
        List(Console.Error, name is null
            ? "Choose an experiment with --experiment NAME. Experiments:"
            : "Unknown experiment '" + name + "'. Choose one with --experiment NAME. Experiments:", experiments);
        return 2;
    }

    private static void List(TextWriter writer, string heading, IEnumerable<ExperimentEntry> experiments)
    {
        writer.WriteLine(heading);
        foreach (var e in experiments) writer.WriteLine("  " + e.Name + "  (" + e.SpecFile + ")");
    }
}
