package io.changeover.demo.chaos;

/** One kind of fault a chaos run injects. */
interface Fault {

    /** Injects it; returns what was done, for the report. Faults that last (a server down) heal before returning. */
    String inject() throws Exception;
}
