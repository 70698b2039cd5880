package io.tributary.core.it;

import org.apache.kafka.common.utils.Exit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Runs one of Kafka's command-line tools in this JVM by its main class, as kafka-*.sh would, with
 * standard input given and standard output and error captured. Exit.exit is intercepted and only
 * recorded: the tools call it last (some from inside a catch-all, so throwing from it would be caught).
 */
final class CliTool {

    /** What a tool printed and the code it exited with (0 when it returned normally). */
    record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private CliTool() {
    }

    static Result run(String mainClass, String... args) {
        return runWithInput(mainClass, "", args);
    }

    static synchronized Result runWithInput(String mainClass, String stdin, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] exitCode = {Integer.MIN_VALUE};
        Exit.setExitProcedure((status, message) -> {
            if (exitCode[0] == Integer.MIN_VALUE) {
                exitCode[0] = status;
            }
        });
        int code = 0;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace(System.err);
            code = -1;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot run " + mainClass, e);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(originalOut);
            System.setErr(originalErr);
            System.setIn(originalIn);
            Exit.resetExitProcedure();
        }
        if (exitCode[0] != Integer.MIN_VALUE) {
            code = exitCode[0];
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
