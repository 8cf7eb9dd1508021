using System;
using System.Collections.Generic;
using System.Globalization;

namespace DP.Generators.Model;

/// <summary>A broken rule: the keys involved (the first is where to point) and what to do.</summary>
internal sealed record RuleBreach(IReadOnlyList<string> Keys, string Message);

/// <summary>
/// The rules between values that the values alone decide, stated once: the build applies them to the spec, the
/// runtime to the options after <c>--set</c> (both compiled from this file). <c>value</c> gives a key's canonical
/// text as written, or null for its schema default.
/// </summary>
internal static class SpecRules
{
    public static IEnumerable<RuleBreach> ValueRules(Func<string, string?> value)
    {
        string Text(string key) => value(key) ?? SpecSchema.Find(key)!.DefaultText!;
        double Number(string key) => double.Parse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture);

        if (Number("training.warmup_steps") > Number("training.max_steps"))
        {
            yield return new RuleBreach(new[] { "training.warmup_steps", "training.max_steps" },
                "training.warmup_steps " + Text("training.warmup_steps") + " exceeds training.max_steps " + Text("training.max_steps") +
                ": the learning rate would never reach its peak; use at most max_steps warm-up steps");
        }
        if (SpecSchema.AppliesTo("method.gumbel.min_temperature", Text("method.kind")) && Number("method.gumbel.min_temperature") > Number("method.gumbel.initial_temperature"))
        {
            yield return new RuleBreach(new[] { "method.gumbel.min_temperature", "method.gumbel.initial_temperature" },
                "method.gumbel.min_temperature " + Text("method.gumbel.min_temperature") + " is above method.gumbel.initial_temperature " +
                Text("method.gumbel.initial_temperature") + "; the temperature only decreases, so make min_temperature <= initial_temperature");
        }
        if (SpecSchema.AppliesTo("method.init", Text("method.kind")) && Text("method.init") == "text" && string.IsNullOrWhiteSpace(value("method.init_text")))
        {
            yield return new RuleBreach(new[] { "method.init", "method.init_text" },
                "method.init 'text' needs method.init_text, the text the prompt starts from; add e.g. 'init_text: \"It was great\"' under method");
        }
    }
}
