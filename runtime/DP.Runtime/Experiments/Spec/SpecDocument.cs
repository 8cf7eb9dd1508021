using System.Text.Json;
using System.Text.Json.Nodes;
using DP.Generators.Model;

namespace DP.Runtime.Experiments;

/// <summary>
/// Options written back in the spec's own words: the schema's nested keys and choice words, only the settings that
/// apply to the method, defaults filled in. JSON is YAML, so the run folder's <c>config.json</c> saved as a
/// <c>*.dp.yaml</c> is a spec that builds the same experiment.
/// </summary>
public static class SpecDocument
{
    public static string Write(ExperimentOptions options) => ToJson(options).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>One key's value as the spec writes it (choice words, invariant numbers); null for null or a key the method lacks.</summary>
    public static string? Value(ExperimentOptions options, string key) => SpecOptionPaths.Text(options, key);

    public static JsonObject ToJson(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var method = SpecValues.MethodWord(options.Method.Kind);
        var root = new JsonObject { [SpecSchema.Experiment] = options.Name };
        foreach (var option in SpecSchema.Options.Where(o => o.Scope != OptionScope.Task && SpecSchema.AppliesTo(o.Key, method)))
        {
            if (Written(options, option) && Node(option, SpecOptionPaths.Read(options, option)) is { } value) Place(root, option.Key, value);
        }
        root["task"] = Task(options, options.Task, main: true);
        return root;
    }

    // Keys whose value only means something beside another's are left out when that other does not ask for them,
    // as the spec's rules require.
    private static bool Written(ExperimentOptions options, OptionDefinition option) => option.Key switch
    {
        "method.init_text" => options.Method is PromptTuningOptions { Init: PromptInit.Text },
        "method.reparameterize_hidden" => options.Method is PrefixTuningOptions { Reparameterize: true },
        _ => true,
    };

    private static JsonObject Task(ExperimentOptions options, TaskOptions task, bool main)
    {
        var node = new JsonObject();
        foreach (var option in SpecSchema.Options.Where(o => o.Scope == OptionScope.Task && !o.PropertyPath.StartsWith("FewShot.", StringComparison.Ordinal)))
        {
            if (option.MainTaskOnly && (!main || task.Multitask.Count == 0)) continue;
            if (option.Key == "task.superglue" && task.Kind != DataKind.SuperGlue) continue;
            if (Node(option, SpecOptionPaths.Read(options, option, task)) is { } value) Place(node, option.Key["task.".Length..], value);
        }
        if (task.Kind == DataKind.Custom) node["fields"] = new JsonArray(task.Fields.Select(f => (JsonNode)f).ToArray());
        if (task.Labels.Count > 0)
        {
            var labels = new JsonObject();
            foreach (var label in task.Labels) labels[label.Value] = label.Word;
            node["labels"] = labels;
        }
        if (task.FewShot is { } fewShot)
        {
            var group = new JsonObject();
            if (fewShot.PerLabel is { } perLabel) group["per_label"] = perLabel;
            if (fewShot.Total is { } total) group["total"] = total;
            group["seed"] = fewShot.Seed;
            node["few_shot"] = group;
        }
        if (main && task.Multitask.Count > 0)
            node["multitask"] = new JsonArray(task.Multitask.Select(t => (JsonNode)Task(options, t, main: false)).ToArray());
        return node;
    }

    private static JsonNode? Node(OptionDefinition option, object? value) => value switch
    {
        null => null,
        Enum e => SpecOptionPaths.Word(option, e),
        bool b => b,
        int i => i,
        double d => d,
        string s => s,
        _ => throw new InvalidOperationException($"{option.Key}: no spec form for {value.GetType().Name}"),
    };

    private static void Place(JsonObject root, string dottedKey, JsonNode value)
    {
        var parts = dottedKey.Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
        node[parts[^1]] = value;
    }
}
