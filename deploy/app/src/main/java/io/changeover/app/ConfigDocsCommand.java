package io.changeover.app;

import java.util.concurrent.Callable;

import io.changeover.app.docs.ConfigReference;
import picocli.CommandLine.Command;

/** Prints the configuration reference generated from the modules' definitions (docs/configuration.md). */
@Command(name = "config-docs", description = "Print the configuration reference (Markdown) generated from the code.")
final class ConfigDocsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ConfigReference.markdown());
        return 0;
    }
}
