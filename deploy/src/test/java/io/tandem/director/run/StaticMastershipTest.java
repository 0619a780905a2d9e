package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticMastershipTest {
    @Test
    void masterFromStartBackupOnCloseOnce() {
        List<String> heard = new ArrayList<>();
        StaticMastership source = new StaticMastership();
        MastershipSource.Listener listener = new MastershipSource.Listener() {
            @Override
            public void becameMaster() {
                heard.add("master");
            }

            @Override
            public void becameBackup() {
                heard.add("backup");
            }
        };
        source.start(listener);
        assertThat(heard).containsExactly("master");
        assertThatThrownBy(() -> source.start(listener)).isInstanceOf(IllegalStateException.class);
        source.close();
        source.close();
        assertThat(heard).containsExactly("master", "backup");
    }
}
