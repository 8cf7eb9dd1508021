using System.Collections.Generic;
using System.Linq;

namespace DP.Generators.Model;

/// <summary>
/// Every scalar key of a *.dp.yaml spec, mirroring DP.Runtime.Experiments.ExperimentOptions. The validator, the
/// emitted overrides and docs/spec.md all follow this one table. Structured keys (experiment, preset, task.fields,
/// task.labels, task.multitask, sweep) are handled by the validator directly and listed in <see cref="StructuredKeys"/>.
/// </summary>
internal static class SpecSchema
{
    public const string Experiment = "experiment";
    public const string Preset = "preset";
    public const string TaskFields = "task.fields";
    public const string TaskLabels = "task.labels";
    public const string TaskMultitask = "task.multitask";
    public const string FewShotGroup = "task.few_shot";
    public const string Sweep = "sweep";

    /// <summary>Words of the sweep section that are not override keys: the seed shorthand, zipped axes, exclusions.</summary>
    public const string SweepSeeds = "seeds", SweepZip = "zip", SweepExclude = "exclude";

    /// <summary>The override key <c>seeds:</c> stands for.</summary>
    public const string SeedKey = "training.seed";

    /// <summary>Keys that hold a mapping of further keys.</summary>
    public static readonly IReadOnlyList<string> Groups = new[]
    {
        "backbone", "task", "method", "method.pool", "method.gumbel", "head", "training", "outputs", FewShotGroup,
    };

    public static readonly IReadOnlyList<string> StructuredKeys = new[] { Experiment, Preset, TaskFields, TaskLabels, TaskMultitask, Sweep };

    public static readonly IReadOnlyList<string> SuperGlueTasks = new[] { "boolq", "cb", "copa", "multirc", "record", "rte", "wic", "wsc" };

    private static ChoiceWord[] Words(params string[] pairs)
    {
        var words = new ChoiceWord[pairs.Length / 2];
        for (var i = 0; i < words.Length; i++) words[i] = new ChoiceWord(pairs[2 * i], pairs[2 * i + 1]);
        return words;
    }

    private static OptionDefinition Choice(string key, OptionScope scope, string path, string enumType, string def, ChoiceWord[] words, string description)
        => new(key, scope, path, SpecValueKind.Enum, def) { EnumType = enumType, Choices = words, Description = description };

    private static OptionDefinition Int(string key, OptionScope scope, string path, string? def, double? min, double? max, string description, bool nullable = false)
        => new(key, scope, path, SpecValueKind.Int, def) { Min = min, Max = max, Description = description, Nullable = nullable };

    private static OptionDefinition Real(string key, OptionScope scope, string path, string? def, double? min, bool minExclusive, double? max, string description, bool nullable = false)
        => new(key, scope, path, SpecValueKind.Double, def) { Min = min, MinExclusive = minExclusive, Max = max, Description = description, Nullable = nullable };

    private static OptionDefinition Text(string key, OptionScope scope, string path, string? def, string description, bool nullable = false)
        => new(key, scope, path, SpecValueKind.String, def) { Description = description, Nullable = nullable };

    private static OptionDefinition Flag(string key, OptionScope scope, string path, bool def, string description)
        => new(key, scope, path, SpecValueKind.Bool, def ? "true" : "false") { Description = description };

    private const OptionScope E = OptionScope.Experiment;
    private const OptionScope T = OptionScope.Task;
    private const OptionScope M = OptionScope.Method;

    // The DP.Runtime.Experiments classes that hold method keys (MethodOptions and its subclasses).
    private const string SoftPrompt = "SoftPromptOptions", PromptTuning = "PromptTuningOptions", PrefixTuning = "PrefixTuningOptions", Dynamic = "DynamicPromptingOptions";

    private static OptionDefinition Method(OptionDefinition option, string holder) => option.WithHolder(holder);

    public static readonly IReadOnlyList<OptionDefinition> Options = new[]
    {
        Text("backbone.source", E, "Backbone.Source", "minilm-l6", "packaged model name (minilm-l6) or a Hugging Face model folder"),
        Choice("backbone.dtype", E, "Backbone.DType", "BackboneDType", "float32", Words("float32", "Float32", "bfloat16", "BFloat16"), "weights and activations type"),

        Choice("task.kind", T, "Kind", "DataKind", "superglue", Words("superglue", "SuperGlue", "custom", "Custom"), "a SuperGLUE task or your own data"),
        Choice("task.superglue", T, "SuperGlue", "SuperGlueTask", "rte",
            Words("boolq", "BoolQ", "cb", "CB", "copa", "COPA", "multirc", "MultiRC", "record", "ReCoRD", "rte", "RTE", "wic", "WiC", "wsc", "WSC"),
            "the SuperGLUE task (kind: superglue)"),
        Text("task.data_dir", T, "DataDir", "data", "folder holding the data files"),
        Text("task.train_file", T, "TrainFile", "train.jsonl", "training file inside data_dir"),
        Text("task.validation_file", T, "ValidationFile", "val.jsonl", "validation file inside data_dir"),
        Text("task.test_file", T, "TestFile", null, "optional test file inside data_dir; scored on the kept weights after training (results.json test, when labelled)", nullable: true),
        Choice("task.format", T, "Format", "DataFormat", "jsonl", Words("jsonl", "Jsonl", "csv", "Csv"), "file format"),
        Text("task.label_field", T, "LabelField", "label", "record field holding the label"),
        Text("task.template", T, "Template", null, "text template over {field} names; empty = the task's default", nullable: true),
        Int("task.max_length", T, "MaxLength", "128", 8, 8192, "maximum tokens per example (prompt included)"),
        Int("task.pad_to_multiple_of", T, "PadToMultipleOf", "8", 1, 512, "pad each batch to a multiple of this many tokens (1 = to its longest row)"),
        Int("task.few_shot.per_label", T, "FewShot.PerLabel", null, 1, null, "training examples sampled per label", nullable: true),
        Int("task.few_shot.total", T, "FewShot.Total", null, 1, null, "training examples sampled in all", nullable: true),
        Int("task.few_shot.seed", T, "FewShot.Seed", "13", 0, null, "seed of the few-shot sample"),
        new OptionDefinition("task.mixing", T, "Mixing", SpecValueKind.Enum, "examples_proportional")
        {
            EnumType = "MultitaskMixing", Choices = Words("examples_proportional", "ExamplesProportional", "temperature", "Temperature"),
            MainTaskOnly = true, Description = "how multitask batches are drawn",
        },
        new OptionDefinition("task.mixing_cap", T, "MixingCap", SpecValueKind.Int, "10000")
        {
            Min = 1, MainTaskOnly = true, Description = "examples-proportional mixing: cap on a task's size",
        },
        new OptionDefinition("task.mixing_temperature", T, "MixingTemperature", SpecValueKind.Double, "2")
        {
            Min = 0, MinExclusive = true, MainTaskOnly = true, Description = "temperature mixing: sampling temperature",
        },

        Choice("method.kind", E, "Method.Kind", "MethodKind", "dynamic",
            Words("finetune", "FineTune", "prompt", "Prompt", "prefix", "Prefix", "dynamic", "Dynamic"),
            "fine-tuning, prompt tuning, P-tuning v2 (prefix) or dynamic prompting"),
        Method(Int("method.prompt_length", M, "PromptLength", "20", 1, 512, "soft prompt length (maximum length for length: task/instance)"), SoftPrompt),
        Method(Choice("method.init", M, "Init", "PromptInit", "vocab", Words("random", "Random", "vocab", "Vocab", "vocab_first", "VocabFirst", "text", "Text"), "prompt initialisation"), PromptTuning),
        Method(Text("method.init_text", M, "InitText", null, "text whose token embeddings initialise the prompt (init: text)", nullable: true), PromptTuning),
        Method(Choice("method.position", M, "Position", "PositionPolicy", "instance",
            Words("prefix", "Prefix", "postfix", "Postfix", "task", "Task", "instance", "Instance"),
            "where the prompt goes: before or after the input, or chosen per task or per instance"), Dynamic),
        Method(Choice("method.length", M, "Length", "LengthPolicy", "fixed", Words("fixed", "Fixed", "task", "Task", "instance", "Instance"), "prompt length policy"), Dynamic),
        Method(Int("method.pool.size", M, "Pool.Size", "0", 0, 1024, "instance prompt pool size; 0 = one shared prompt"), Dynamic),
        Method(Flag("method.pool.tanh", M, "Pool.Tanh", false, "tanh on the pool mixture"), Dynamic),
        Method(Choice("method.gumbel.schedule", M, "Gumbel.Schedule", "GumbelSchedule", "compound",
            Words("compound", "Compound", "exponential", "Exponential"), "Gumbel-softmax temperature schedule"), Dynamic),
        Method(Real("method.gumbel.initial_temperature", M, "Gumbel.InitialTemperature", "1", 0, true, null, "starting temperature"), Dynamic),
        Method(Real("method.gumbel.min_temperature", M, "Gumbel.MinTemperature", "0.5", 0, true, null, "lowest temperature"), Dynamic),
        Method(Real("method.gumbel.rate", M, "Gumbel.Rate", "0.001", 0, false, null, "decay rate"), Dynamic),
        Method(Choice("method.instance_features", M, "InstanceFeatures", "InstanceFeatures", "encoder",
            Words("encoder", "Encoder", "embeddings", "Embeddings"), "what the instance policy network reads"), Dynamic),
        Method(Flag("method.reparameterize", M, "Reparameterize", false, "P-tuning v2 MLP reparameterisation (prefix only)"), PrefixTuning),
        Method(Int("method.reparameterize_hidden", M, "ReparameterizeHidden", "512", 1, 65536, "hidden size of the reparameterisation MLP"), PrefixTuning),

        Choice("head.kind", E, "Head.Kind", "HeadKind", "auto", Words("auto", "Auto", "linear", "Linear", "verbalizer", "Verbalizer"),
            "classification head; auto = verbalizer on T5, linear on encoders; verbalizer on BERT = the label words' masked-LM logits at the template's {mask}"),
        Choice("head.pooling", E, "Head.Pooling", "Pooling", "auto", Words("auto", "Auto", "mean", "Mean", "first", "First", "pooler", "Pooler"),
            "pooling for a linear head; auto = pooler for prefix (P-tuning v2) where the checkpoint has one, mean otherwise"),
        Choice("head.decoder_prefix", E, "Head.DecoderPrefix", "DecoderPrefix", "sentinel", Words("sentinel", "Sentinel", "start", "Start"),
            "T5 verbalizer: the decoder reads <pad> <extra_id_0> (sentinel, as the authors) or <pad> only (start) before the label word"),

        Choice("training.optimizer", E, "Training.Optimizer", "OptimizerKind", "adamw", Words("adafactor", "Adafactor", "adamw", "AdamW"), "optimizer"),
        Real("training.learning_rate", E, "Training.LearningRate", "0.003", 0, true, null, "base learning rate"),
        Real("training.prompt_learning_rate", E, "Training.PromptLearningRate", null, 0, true, null, "learning rate of prompt vectors (default: learning_rate)", nullable: true),
        Real("training.instance_learning_rate", E, "Training.InstanceLearningRate", null, 0, true, null, "learning rate of instance networks (default: learning_rate)", nullable: true),
        Real("training.head_learning_rate", E, "Training.HeadLearningRate", null, 0, true, null, "learning rate of the head (default: learning_rate)", nullable: true),
        Real("training.backbone_learning_rate", E, "Training.BackboneLearningRate", null, 0, true, null, "learning rate of the backbone when fine-tuning (default: learning_rate)", nullable: true),
        Real("training.weight_decay", E, "Training.WeightDecay", "0", 0, false, null, "decoupled weight decay"),
        Choice("training.schedule", E, "Training.Schedule", "LrSchedule", "constant", Words("constant", "Constant", "linear", "Linear"), "learning-rate schedule after warm-up"),
        Int("training.warmup_steps", E, "Training.WarmupSteps", "0", 0, null, "linear warm-up steps"),
        Int("training.max_steps", E, "Training.MaxSteps", "200", 1, null, "optimizer steps"),
        Int("training.batch_size", E, "Training.BatchSize", "16", 1, null, "training batch size"),
        Int("training.eval_batch_size", E, "Training.EvalBatchSize", "32", 1, null, "evaluation batch size"),
        Int("training.gradient_accumulation", E, "Training.GradientAccumulation", "1", 1, null, "batches per optimizer step"),
        Flag("training.gradient_checkpointing", E, "Training.GradientCheckpointing", false, "re-run each backbone layer in backward instead of keeping its activations (less memory, ~1/3 more compute)"),
        Flag("training.dropout", E, "Training.Dropout", true, "dropout in training at the backbone config's rates, frozen backbones and P-tuning v2 prefixes included; false = none (OpenPrompt's plm_eval_mode)"),
        Real("training.clip_norm", E, "Training.ClipNorm", "1", 0, false, null, "gradient norm clip; 0 = off"),
        Int("training.eval_every", E, "Training.EvalEvery", "50", 1, null, "steps between evaluations"),
        Int("training.early_stopping_patience", E, "Training.EarlyStoppingPatience", "0", 0, null, "evaluations without improvement before stopping; 0 = never"),
        Int("training.checkpoint_every", E, "Training.CheckpointEvery", "50", 1, null, "steps between checkpoints"),
        Text("training.best_metric", E, "Training.BestMetric", "accuracy", "validation metric that picks the best checkpoint"),
        Int("training.seed", E, "Training.Seed", "42", 0, null, "random seed"),
        Choice("training.device", E, "Training.Device", "DeviceChoice", "auto", Words("auto", "Auto", "cpu", "Cpu", "cuda", "Cuda"), "where to train"),
        Choice("training.on_non_finite_loss", E, "Training.OnNonFiniteLoss", "NonFiniteLossAction", "stop", Words("stop", "Stop", "skip", "Skip"), "what to do on a NaN/Inf loss"),
        Int("training.threads", E, "Training.Threads", "0", 0, 1024, "torch intra-op threads; 0 = library default"),

        Text("outputs.dir", E, "Output.Dir", "runs", "folder for run folders"),
        Flag("outputs.save_predictions", E, "Output.SavePredictions", true, "write predictions of the best checkpoint"),
        Flag("outputs.tensorboard", E, "Output.TensorBoard", true, "write TensorBoard event files"),
        Flag("outputs.plots", E, "Output.Plots", true, "write loss/metric plots"),
    };

    /// <summary>The method words of <c>method.kind</c>.</summary>
    public static readonly IReadOnlyList<string> MethodWords = new[] { "finetune", "prompt", "prefix", "dynamic" };

    /// <summary>The DP.Runtime.Experiments options class of each method word (MethodOptions.Create builds the same).</summary>
    public static string MethodOptionsType(string method) => method switch
    {
        "finetune" => "FineTuningOptions",
        "prompt" => PromptTuning,
        "prefix" => PrefixTuning,
        "dynamic" => Dynamic,
        _ => throw new System.ArgumentOutOfRangeException(nameof(method), method, "not a method.kind word"),
    };

    /// <summary>
    /// Keys that belong to some methods only (every other key applies to all), with the advice a spec or a
    /// <c>--set</c> that uses one under another method gets. A key is in at most one scope.
    /// </summary>
    public static readonly IReadOnlyList<MethodScope> MethodScopes = new[]
    {
        new MethodScope(new[] { "dynamic" }, "it belongs to 'kind: dynamic'; remove it or switch the method to dynamic", new[]
        {
            "method.position", "method.length", "method.pool.size", "method.pool.tanh", "method.gumbel.schedule",
            "method.gumbel.initial_temperature", "method.gumbel.min_temperature", "method.gumbel.rate", "method.instance_features",
            "training.instance_learning_rate",
        }),
        new MethodScope(new[] { "prompt", "dynamic" }, "it sets the input prompt's starting values, and P-tuning v2's layer prefixes start from N(0, 1); remove it", new[]
        {
            "method.init", "method.init_text",
        }),
        new MethodScope(new[] { "prompt", "prefix", "dynamic" }, "fine-tuning has no prompt; remove it", new[]
        {
            "method.prompt_length", "training.prompt_learning_rate",
        }),
        new MethodScope(new[] { "prefix" }, "reparameterisation is part of P-tuning v2; use 'kind: prefix' or remove it", new[]
        {
            "method.reparameterize", "method.reparameterize_hidden",
        }),
        new MethodScope(new[] { "finetune" }, "the backbone stays frozen except with 'kind: finetune'; remove it", new[]
        {
            "training.backbone_learning_rate",
        }),
    };

    /// <summary>The scope of a method-specific key; null when the key applies to every method.</summary>
    public static MethodScope? ScopeOf(string key) => MethodScopes.FirstOrDefault(s => s.Keys.Contains(key));

    /// <summary>The method-specific keys that <paramref name="method"/> does not have.</summary>
    public static IEnumerable<string> KeysNotFor(string method) => MethodScopes.Where(s => !s.Methods.Contains(method)).SelectMany(s => s.Keys);

    public static bool AppliesTo(string key, string method) => ScopeOf(key) is not { } scope || scope.Methods.Contains(method);

    private static readonly Dictionary<string, OptionDefinition> ByKey = Options.ToDictionary(o => o.Key);

    public static OptionDefinition? Find(string key) => ByKey.TryGetValue(key, out var o) ? o : null;

    /// <summary>Every key that may appear directly under <paramref name="parent"/> ("" = top level).</summary>
    public static IEnumerable<string> ChildNames(string parent)
    {
        var prefix = parent.Length == 0 ? "" : parent + ".";
        var all = Options.Select(o => o.Key).Concat(Groups).Concat(StructuredKeys);
        return all.Where(k => k.StartsWith(prefix, System.StringComparison.Ordinal) && k.IndexOf('.', prefix.Length) < 0)
                  .Select(k => k.Substring(prefix.Length)).Distinct();
    }

    /// <summary>
    /// The label values of each SuperGLUE classification task in class order, with the verbalizer word each gets
    /// unless <c>task.labels</c> says otherwise; none for the multiple-choice tasks (copa, record).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SuperGlueLabels(string task) => task switch
    {
        "rte" => Labels("entailment", "yes", "not_entailment", "no"),
        "cb" => Labels("entailment", "yes", "contradiction", "no", "neutral", "maybe"),
        "boolq" or "wic" or "wsc" or "multirc" => Labels("false", "no", "true", "yes"),
        _ => System.Array.Empty<KeyValuePair<string, string>>(),
    };

    private static KeyValuePair<string, string>[] Labels(params string[] pairs)
        => Enumerable.Range(0, pairs.Length / 2).Select(i => new KeyValuePair<string, string>(pairs[2 * i], pairs[2 * i + 1])).ToArray();

    /// <summary>Record fields of each SuperGLUE task usable in a template.</summary>
    public static IReadOnlyList<string> SuperGlueFields(string task) => task switch
    {
        "boolq" => new[] { "passage", "question" },
        "cb" => new[] { "premise", "hypothesis" },
        "copa" => new[] { "premise", "question", "choice1", "choice2", "choice" },
        "multirc" => new[] { "passage", "question", "answer" },
        "record" => new[] { "passage", "query", "entity" },
        "rte" => new[] { "premise", "hypothesis" },
        "wic" => new[] { "word", "sentence1", "sentence2" },
        "wsc" => new[] { "text", "span1_text", "span2_text" },
        _ => System.Array.Empty<string>(),
    };

    /// <summary>
    /// Validation metrics each task reports (as DP.Runtime's evaluation names them): custom data gives accuracy plus
    /// f1 (two labels) or macro_f1 (more); SuperGLUE gives its official metrics; every task also reports its
    /// validation loss, the one metric where lower is better.
    /// </summary>
    public static IReadOnlyList<string> Metrics(string taskKind, string superGlue, int labelCount) => taskKind == "custom"
        ? new[] { "accuracy", labelCount > 2 ? "macro_f1" : "f1", ValidationLoss }
        : superGlue switch
        {
            "cb" => new[] { "accuracy", "macro_f1", ValidationLoss },
            "multirc" => new[] { "f1a", "em", ValidationLoss },
            "record" => new[] { "f1", "em", ValidationLoss },
            _ => new[] { "accuracy", ValidationLoss },
        };

    /// <summary>The validation loss's metric name (DP.Runtime's Evaluator.LossKey).</summary>
    public const string ValidationLoss = "loss";

    /// <summary>The metric that picks the best checkpoint when the spec names none: the task's first metric.</summary>
    public static string DefaultBestMetric(string taskKind, string superGlue) => Metrics(taskKind, superGlue, 2)[0];
}
