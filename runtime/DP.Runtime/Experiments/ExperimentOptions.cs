namespace DP.Runtime.Experiments;

// The resolved experiment configuration: what a *.dp.yaml spec says, as plain typed options.
// The source generator emits code that fills these from the spec (its defaults are the spec's values),
// the CLI's --set overrides change them, and the run folder records them as JSON.

public enum BackboneDType { Float32, BFloat16 }
public enum DataKind { SuperGlue, Custom }
public enum SuperGlueTask { BoolQ, CB, COPA, MultiRC, ReCoRD, RTE, WiC, WSC }
public enum DataFormat { Jsonl, Csv }
public enum MultitaskMixing { ExamplesProportional, Temperature }
public enum MethodKind { FineTune, Prompt, Prefix, Dynamic }
public enum PromptInit { Random, Vocab, VocabFirst, Text }
public enum PositionPolicy { Prefix, Postfix, Task, Instance }
public enum LengthPolicy { Fixed, Task, Instance }
public enum GumbelSchedule { Compound, Exponential }
public enum InstanceFeatures { Encoder, Embeddings }
public enum HeadKind { Auto, Linear, Verbalizer }
public enum Pooling { Auto, Mean, First, Pooler }
public enum DecoderPrefix { Sentinel, Start }
public enum OptimizerKind { Adafactor, AdamW }
public enum LrSchedule { Constant, Linear }
public enum DeviceChoice { Auto, Cpu, Cuda }
public enum NonFiniteLossAction { Stop, Skip }

public sealed class ExperimentOptions
{
    public string Name { get; set; } = "experiment";
    public BackboneOptions Backbone { get; set; } = new();
    public TaskOptions Task { get; set; } = new();
    /// <summary>The method and its settings (one class per method; the default is dynamic prompting).</summary>
    public MethodOptions Method { get; set; } = new DynamicPromptingOptions();
    public HeadOptions Head { get; set; } = new();
    public TrainingOptions Training { get; set; } = new();
    public OutputOptions Output { get; set; } = new();
}

public sealed class BackboneOptions
{
    /// <summary>A packaged model name (minilm-l6) or a Hugging Face model folder.</summary>
    public string Source { get; set; } = "minilm-l6";
    public BackboneDType DType { get; set; } = BackboneDType.Float32;
}

public sealed class TaskOptions
{
    public DataKind Kind { get; set; } = DataKind.SuperGlue;
    /// <summary>SuperGLUE task (when <see cref="Kind"/> is SuperGlue).</summary>
    public SuperGlueTask SuperGlue { get; set; } = SuperGlueTask.RTE;
    /// <summary>Folder with train/validation/test files (SuperGLUE: train.jsonl, val.jsonl, ...).</summary>
    public string DataDir { get; set; } = "data";
    public string TrainFile { get; set; } = "train.jsonl";
    public string ValidationFile { get; set; } = "val.jsonl";
    public string? TestFile { get; set; }
    public DataFormat Format { get; set; } = DataFormat.Jsonl;
    /// <summary>Custom data: the text fields of a record (the label field is <see cref="LabelField"/>).</summary>
    public List<string> Fields { get; set; } = [];
    public string LabelField { get; set; } = "label";
    /// <summary>A template over fields, e.g. "{premise} Question: {hypothesis}"; null = the task's default.</summary>
    public string? Template { get; set; }
    /// <summary>Label value → verbalizer word, in class order; empty = the task's default.</summary>
    public List<LabelWord> Labels { get; set; } = [];
    public int MaxLength { get; set; } = 128;
    /// <summary>Pad each batch to a multiple of this many tokens (1 = to its longest row); few shapes keep memory flat.</summary>
    public int PadToMultipleOf { get; set; } = 8;
    public FewShotOptions? FewShot { get; set; }
    /// <summary>Other tasks trained jointly with this one.</summary>
    public List<TaskOptions> Multitask { get; set; } = [];
    public MultitaskMixing Mixing { get; set; } = MultitaskMixing.ExamplesProportional;
    public int MixingCap { get; set; } = 10000;
    public double MixingTemperature { get; set; } = 2.0;
}

public sealed record LabelWord(string Value, string Word);

public sealed class FewShotOptions
{
    public int? PerLabel { get; set; }
    public int? Total { get; set; }
    public int Seed { get; set; } = 13;
}

public sealed class HeadOptions
{
    public HeadKind Kind { get; set; } = HeadKind.Auto;
    public Pooling Pooling { get; set; } = Pooling.Auto;
    /// <summary>
    /// Verbalizer (T5): what the decoder reads before the label word. Sentinel: the start token then &lt;extra_id_0&gt;
    /// (OpenPrompt's T5LMTokenizerWrapper, as the authors ran T5 LM-adapted); Start: the start token only.
    /// </summary>
    public DecoderPrefix DecoderPrefix { get; set; } = DecoderPrefix.Sentinel;
}

public sealed class TrainingOptions
{
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.AdamW;
    public double LearningRate { get; set; } = 3e-3;
    public double? PromptLearningRate { get; set; }
    public double? InstanceLearningRate { get; set; }
    public double? HeadLearningRate { get; set; }
    public double? BackboneLearningRate { get; set; }
    public double WeightDecay { get; set; }
    public LrSchedule Schedule { get; set; } = LrSchedule.Constant;
    public int WarmupSteps { get; set; }
    public int MaxSteps { get; set; } = 200;
    public int BatchSize { get; set; } = 16;
    public int EvalBatchSize { get; set; } = 32;
    public int GradientAccumulation { get; set; } = 1;
    /// <summary>Activation checkpointing in the backbone: each layer runs again in backward instead of keeping its activations.</summary>
    public bool GradientCheckpointing { get; set; }
    /// <summary>
    /// Dropout in training at the backbone config's rates, frozen backbones included (as the authors ran: OpenPrompt's
    /// plm_eval_mode off), and on P-tuning v2's prefixes; false = none (plm_eval_mode on).
    /// </summary>
    public bool Dropout { get; set; } = true;
    public double ClipNorm { get; set; } = 1.0;
    public int EvalEvery { get; set; } = 50;
    /// <summary>Evaluations without improvement before stopping; 0 = never stop early.</summary>
    public int EarlyStoppingPatience { get; set; }
    public int CheckpointEvery { get; set; } = 50;
    /// <summary>The validation metric that picks the best checkpoint (e.g. accuracy, f1, macro_f1).</summary>
    public string BestMetric { get; set; } = "accuracy";
    public int Seed { get; set; } = 42;
    public DeviceChoice Device { get; set; } = DeviceChoice.Auto;
    public NonFiniteLossAction OnNonFiniteLoss { get; set; } = NonFiniteLossAction.Stop;
    /// <summary>Torch intra-op threads; 0 = library default.</summary>
    public int Threads { get; set; }
}

public sealed class OutputOptions
{
    public string Dir { get; set; } = "runs";
    public bool SavePredictions { get; set; } = true;
    public bool TensorBoard { get; set; } = true;
    public bool Plots { get; set; } = true;
}
