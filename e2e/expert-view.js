// Injected before the page loads: remember the expert view, so tests written for the expert page
// (every element id of today's page) open it; e2e/harness.mjs adds it unless a test asks for guided.
try { localStorage.setItem('bkflash.view', 'expert'); } catch { /* storage refused: guided shows */ }
