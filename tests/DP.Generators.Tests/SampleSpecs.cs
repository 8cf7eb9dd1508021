namespace DP.Generators.Tests;

/// <summary>Valid specs covering each method kind and each data kind, used by snapshot, compile and fuzz tests.</summary>
public static class SampleSpecs
{
    public const string DynamicCustomJsonl = """
        # Dynamic prompting on a custom sentiment data set.
        experiment: sentiment-dp
        backbone: { source: minilm-l6, dtype: float32 }
        task:
          kind: custom
          data_dir: data
          train_file: train.jsonl
          validation_file: val.jsonl
          test_file: test.jsonl
          format: jsonl
          fields: [text]
          label_field: label
          template: "{text} It was"
          labels: { positive: great, negative: terrible }
          max_length: 128
          few_shot: { per_label: 16, seed: 13 }
        method:
          kind: dynamic
          prompt_length: 20
          init: vocab
          position: instance
          length: fixed
          pool: { size: 4, tanh: false }
          gumbel: { schedule: compound, initial_temperature: 1.0, min_temperature: 0.5, rate: 1e-3 }
          instance_features: encoder
        head: { kind: auto, pooling: mean }
        training:
          optimizer: adamw
          learning_rate: 3e-3
          prompt_learning_rate: 0.3
          instance_learning_rate: 1e-4
          head_learning_rate: 1e-3
          weight_decay: 0
          schedule: constant
          warmup_steps: 0
          max_steps: 200
          batch_size: 16
          eval_batch_size: 32
          gradient_accumulation: 1
          clip_norm: 1.0
          eval_every: 50
          early_stopping_patience: 0
          checkpoint_every: 50
          best_metric: accuracy
          seed: 42
          device: auto
          on_non_finite_loss: stop
          threads: 0
        outputs: { dir: runs, save_predictions: true, tensorboard: true, plots: true }
        """;

    public const string DynamicTaskPolicies = """
        experiment: rte-dynamic-task
        task: { kind: superglue, superglue: rte, few_shot: { total: 32 } }
        method:
          kind: dynamic
          prompt_length: 16
          position: task
          length: instance
          gumbel: { schedule: exponential, initial_temperature: 2, min_temperature: 0.1, rate: 0.01 }
          instance_features: embeddings
        training: { learning_rate: 0.01, max_steps: 100, schedule: linear, warmup_steps: 10 }
        """;

    public const string PromptSuperGlue = """
        experiment: rte-prompt
        backbone: { source: models/bert-base, dtype: bfloat16 }
        task:
          kind: superglue
          superglue: rte
          template: "{premise} Question: {hypothesis}? Answer:"
          labels: { entailment: yes, not_entailment: no }
        method: { kind: prompt, prompt_length: 10, init: text, init_text: "Does it follow?" }
        head: { kind: verbalizer }
        training: { optimizer: adafactor, learning_rate: 0.3, batch_size: 8, device: cpu }
        outputs: { dir: out/rte, plots: false }
        """;

    public const string PrefixSuperGlue = """
        experiment: boolq-ptv2
        task: { kind: superglue, superglue: boolq, max_length: 256 }
        method: { kind: prefix, prompt_length: 32, reparameterize: true, reparameterize_hidden: 256 }
        training: { learning_rate: 5e-3, max_steps: 300, on_non_finite_loss: skip, threads: 2 }
        """;

    public const string FineTuneCustomCsv = """
        experiment: reviews-finetune
        task:
          kind: custom
          format: csv
          data_dir: reviews
          train_file: train.csv
          validation_file: dev.csv
          fields: [title, review_body]
          label_field: stars
          labels: { "1": bad, "5": good, "3": okay }
        method: { kind: finetune }
        head: { kind: linear, pooling: first }
        training:
          learning_rate: 2e-5
          backbone_learning_rate: 1e-5
          weight_decay: 0.01
          best_metric: macro_f1
          device: cuda
        """;

    public const string Multitask = """
        experiment: glue-mix
        task:
          kind: superglue
          superglue: cb
          few_shot: { per_label: 8 }
          multitask:
            - { kind: superglue, superglue: boolq }
            - kind: custom
              fields: [sentence]
              labels: { pos: good, neg: bad }
              data_dir: sst2
          mixing: temperature
          mixing_temperature: 3
          mixing_cap: 500
        method: { kind: dynamic, position: prefix }
        training: { best_metric: macro_f1 }
        """;

    /// <summary>Two tasks × two zipped (method, learning rate) pairs × three seeds, less prefix on CB: 9 trials.</summary>
    public const string SweepSuperGlue = """
        experiment: rte-sweep
        task: { kind: superglue, superglue: rte }
        method: { kind: prompt, prompt_length: 20 }
        sweep:
          task.superglue: [rte, cb]
          zip:
            - { method.kind: [prompt, prefix], training.learning_rate: [0.3, 1e-2] }
          seeds: 3
          exclude:
            - { task.superglue: cb, method.kind: prefix }
        """;

    public static readonly IReadOnlyList<(string Name, string Spec)> All = new[]
    {
        ("DynamicCustomJsonl", DynamicCustomJsonl),
        ("DynamicTaskPolicies", DynamicTaskPolicies),
        ("PromptSuperGlue", PromptSuperGlue),
        ("PrefixSuperGlue", PrefixSuperGlue),
        ("FineTuneCustomCsv", FineTuneCustomCsv),
        ("Multitask", Multitask),
        ("SweepSuperGlue", SweepSuperGlue),
    };
}
