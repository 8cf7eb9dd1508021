using System.Collections.Generic;
using System.Linq;

namespace DP.Generators.Model;

/// <summary>One preset: the values it gives to keys the spec does not write.</summary>
public sealed record SpecPreset(string Name, string Description, IReadOnlyList<SpecSetting> Settings);

/// <summary>
/// The spec's <c>preset:</c> values: the settings of the dynamic-prompting authors' runs (Xianjun-Yang/DPT,
/// tutorial/adap_*_main.py and openprompt/prompts/soft_*adaptive.py), one preset per variant. A preset fills in
/// every key it names that the spec leaves out; a key the spec writes always wins. This table is the only place
/// that states them; docs/spec.md lists it.
/// </summary>
public static class SpecPresets
{
    public const string Key = SpecSchema.Preset;

    /// <summary>The authors' training settings, shared by every variant.</summary>
    private static readonly (string Key, string Value)[] Training =
    {
        ("method.kind", "dynamic"),
        ("method.prompt_length", "20"),
        ("method.gumbel.schedule", "compound"),
        ("task.max_length", "480"),
        ("training.optimizer", "adafactor"),
        ("training.learning_rate", "0.3"),
        ("training.schedule", "constant"),
        ("training.warmup_steps", "500"),
        ("training.max_steps", "20000"),
        ("training.batch_size", "8"),
        ("training.gradient_accumulation", "4"),
        ("training.clip_norm", "1"),
        ("training.eval_every", "500"),
        ("training.checkpoint_every", "500"),
    };

    private static SpecPreset Variant(string name, string description, params (string Key, string Value)[] method)
        => new(name, description, Training.Concat(method).Select(s => new SpecSetting(s.Key, s.Value)).ToList());

    public static readonly IReadOnlyList<SpecPreset> All = new[]
    {
        Variant("authors-adap-pos", "adap_pos: task-level position; the prompt starts as the first n vocabulary rows",
            ("method.position", "task"), ("method.init", "vocab_first")),
        Variant("authors-adap-ins-pos", "adap_ins_pos: instance-level position; the prompt starts as the first n vocabulary rows",
            ("method.position", "instance"), ("method.init", "vocab_first")),
        Variant("authors-adap-ins-vec", "adap_ins_vec: a pool of 4 prompts, prefix placed, tanh before the softmax; the first 4·n vocabulary rows split into the 4 prompts",
            ("method.position", "prefix"), ("method.pool.size", "4"), ("method.pool.tanh", "true"), ("method.init", "vocab_first")),
        Variant("authors-adap-ins-vec-pos", "adap_ins_vec_pos: a pool of 4 prompts and instance-level position; pool Uniform(−0.5, 0.5), no tanh",
            ("method.position", "instance"), ("method.pool.size", "4"), ("method.pool.tanh", "false"), ("method.init", "random")),
        Variant("authors-adap-pos-ins-vec", "adap_pos_ins_vec: a pool of 4 prompts and task-level position; pool Uniform(−0.5, 0.5), no tanh",
            ("method.position", "task"), ("method.pool.size", "4"), ("method.pool.tanh", "false"), ("method.init", "random")),
    };

    /// <summary>
    /// The authors' templates (their scripts/SuperGLUE/*/soft_template.txt, first choice, without the mask: the
    /// verbalizer reads the decoder) for the SuperGLUE tasks they trained as classifiers with this project's fields.
    /// The label words of their manual_verbalizer.txt files are the tasks' defaults already.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Templates = new Dictionary<string, string>
    {
        ["boolq"] = "hypothesis: {question}. premise: {passage}",
        ["cb"] = "hypothesis: {hypothesis}. premise: {premise}",
        ["multirc"] = "question: {question} answer: {answer}. paragraph: {passage}",
        ["rte"] = "sentence1: {premise} sentence2: {hypothesis}",
        ["wic"] = "sentence1: {sentence1} sentence2: {sentence2} word: {word}",
    };

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToList();

    public static SpecPreset? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
